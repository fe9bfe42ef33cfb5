import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';
import { OrderErrors } from './orders.errors.js';

export interface StockLine {
  productId: string;
  name: string;
  quantity: number;
}

/**
 * Takes every line's quantity from its product's stock, or nothing at all. The products'
 * rows are locked in id order (so two checkouts sharing products cannot deadlock) and
 * checked before anything is written: an `out_of_stock` leaves the caller's transaction
 * unchanged even if the caller catches the error and commits. Returns the units reserved
 * per product; products that do not track stock reserve 0.
 */
export async function reserveStock(
  tx: EntityManager,
  scope: TenantScope,
  lines: readonly StockLine[],
): Promise<Map<string, number>> {
  const ids = lines.map((line) => line.productId);
  const products = await tx.query<{ id: string; stock: number | null }[]>(
    `SELECT id, stock FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
    [scope.tenantId, ids],
  );
  const stockOf = new Map(products.map((product) => [product.id, product.stock]));
  const isTracked = (line: StockLine) => (stockOf.get(line.productId) ?? null) !== null;
  const tracked = lines.filter(isTracked);
  for (const line of tracked) {
    const available = stockOf.get(line.productId) ?? 0;
    if (available < line.quantity) throw OrderErrors.outOfStock(line.productId, line.name, available);
  }
  if (tracked.length) {
    // The guard repeats the check under the locks already held; the CHECK (stock >= 0)
    // constraint is the last line of defence.
    const [, updated] = await tx.query<[unknown[], number]>(
      `UPDATE products p SET stock = p.stock - w.quantity
         FROM unnest($2::uuid[], $3::int[]) AS w (product_id, quantity)
        WHERE p.tenant_id = $1 AND p.id = w.product_id AND p.stock >= w.quantity`,
      [scope.tenantId, tracked.map((line) => line.productId), tracked.map((line) => line.quantity)],
    );
    if (updated !== tracked.length) throw new Error('Stock changed under a row lock');
  }
  return new Map(lines.map((line) => [line.productId, isTracked(line) ? line.quantity : 0]));
}

/**
 * Gives back what the order's lines reserved, once: each line's `reserved` drops to 0 in
 * the same transaction. The caller holds the order's row lock, so the lines are stable.
 */
export async function releaseStock(tx: EntityManager, scope: TenantScope, orderId: string): Promise<void> {
  const lines = await tx.query<{ productId: string; reserved: number }[]>(
    `SELECT product_id AS "productId", reserved FROM order_items
      WHERE tenant_id = $1 AND order_id = $2 AND reserved > 0 ORDER BY product_id`,
    [scope.tenantId, orderId],
  );
  if (lines.length === 0) return;
  const ids = lines.map((line) => line.productId);
  // Same lock order as reserveStock.
  await tx.query(`SELECT id FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`, [
    scope.tenantId,
    ids,
  ]);
  // A product that stopped tracking stock (NULL) stays untracked.
  await tx.query(
    `UPDATE products p SET stock = p.stock + w.reserved
       FROM unnest($2::uuid[], $3::int[]) AS w (product_id, reserved)
      WHERE p.tenant_id = $1 AND p.id = w.product_id AND p.stock IS NOT NULL`,
    [scope.tenantId, ids, lines.map((line) => line.reserved)],
  );
  await tx.query(`UPDATE order_items SET reserved = 0 WHERE tenant_id = $1 AND order_id = $2 AND reserved > 0`, [
    scope.tenantId,
    orderId,
  ]);
}
