import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid } from '../../common/uuid.js';
import type { TenantScope } from '../../database/tenant-db.js';
import { CommerceErrors } from './commerce.errors.js';
import { CartRow, CartView, MAX_QUANTITY, MIN_QUANTITY, toCartView } from './cart-view.js';
import { isConstraintViolation } from './pg-errors.js';

/** A product that can go into a cart right now. */
interface Purchasable {
  id: string;
  sku: string | null;
  currency: string;
  stock: number | null;
}

export interface CatalogOrderItem {
  sku: string;
  quantity: number;
}

/**
 * The conversation's cart, for the conversation engine. Every method runs inside the
 * caller's tenant transaction (`tx`) and never opens one of its own. Prices are never
 * stored in the cart: a view always shows the products' current prices.
 *
 * Every change first touches the cart row (`updated_at`), which marks activity for cart
 * expiry and holds the row lock until the caller commits, so concurrent changes to one
 * cart apply one after the other (a catalog order's lines cannot deadlock with an add,
 * and the one-currency check cannot race). The per-line upsert alone already keeps
 * concurrent adds of the same product from losing a quantity.
 */
@Injectable()
export class CartService {
  async view(tx: EntityManager, scope: TenantScope, conversationId: string): Promise<CartView> {
    assertConversationId(conversationId);
    return toCartView(await this.rows(tx, scope, conversationId));
  }

  /**
   * Adds `quantity` of a product; a product already in the cart gets its quantity raised,
   * up to MAX_QUANTITY. Throws `not_found` for a product that is not for sale,
   * `out_of_stock`, `invalid_quantity` and `currency_mismatch`.
   */
  async add(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    productId: string,
    quantity: number,
  ): Promise<CartView> {
    assertConversationId(conversationId);
    if (!Number.isSafeInteger(quantity) || quantity < MIN_QUANTITY || quantity > MAX_QUANTITY) {
      throw CommerceErrors.invalidQuantity(MIN_QUANTITY, MAX_QUANTITY);
    }
    const [product] = isUuid(productId) ? await this.purchasable(tx, scope, 'id', [productId]) : [];
    if (!product) throw CommerceErrors.productNotFound();
    if (product.stock === 0) throw CommerceErrors.outOfStock(product.id);
    const cartId = await this.openCart(tx, scope, conversationId);
    const { currency } = await this.view(tx, scope, conversationId);
    if (currency !== null && currency !== product.currency) {
      throw CommerceErrors.currencyMismatch(currency, product.currency);
    }
    await tx.query(
      `INSERT INTO cart_items (tenant_id, cart_id, product_id, quantity) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, cart_id, product_id)
       DO UPDATE SET quantity = least(${MAX_QUANTITY}, cart_items.quantity + excluded.quantity)`,
      [scope.tenantId, cartId, product.id, quantity],
    );
    return this.view(tx, scope, conversationId);
  }

  /** Takes a product out of the cart; `not_in_cart` when it is not there. */
  async remove(tx: EntityManager, scope: TenantScope, conversationId: string, productId: string): Promise<CartView> {
    assertConversationId(conversationId);
    const cartId = isUuid(productId) ? await this.touchCart(tx, scope, conversationId) : undefined;
    const [, removed] = cartId
      ? await tx.query<[unknown[], number]>(
          `DELETE FROM cart_items WHERE tenant_id = $1 AND cart_id = $2 AND product_id = $3`,
          [scope.tenantId, cartId, productId],
        )
      : [[], 0];
    if (removed === 0) throw CommerceErrors.notInCart(productId);
    return this.view(tx, scope, conversationId);
  }

  async clear(tx: EntityManager, scope: TenantScope, conversationId: string): Promise<CartView> {
    assertConversationId(conversationId);
    const cartId = await this.touchCart(tx, scope, conversationId);
    if (cartId) {
      await tx.query(`DELETE FROM cart_items WHERE tenant_id = $1 AND cart_id = $2`, [scope.tenantId, cartId]);
    }
    return this.view(tx, scope, conversationId);
  }

  /**
   * Puts a WhatsApp catalog order into the cart: each SKU of an active product gets the
   * ordered quantity (replacing what the cart had for it, clamped to 1..99; a SKU listed
   * twice counts once with the quantities summed). `unmatched` lists the SKUs that were
   * not added, in order: unknown or inactive products, out of stock, or priced in another
   * currency than the cart.
   */
  async fillFromCatalogOrder(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    items: readonly CatalogOrderItem[],
  ): Promise<{ cart: CartView; unmatched: string[] }> {
    assertConversationId(conversationId);
    const wanted = new Map<string, number>();
    for (const { sku, quantity } of items) wanted.set(sku, (wanted.get(sku) ?? 0) + quantity);
    const products = wanted.size ? await this.purchasable(tx, scope, 'sku', [...wanted.keys()]) : [];
    const bySku = new Map(products.map((product) => [product.sku, product]));
    if (bySku.size === 0) return { cart: await this.view(tx, scope, conversationId), unmatched: [...wanted.keys()] };

    const cartId = await this.openCart(tx, scope, conversationId);
    let currency = (await this.view(tx, scope, conversationId)).currency;
    const lines: { productId: string; quantity: number }[] = [];
    const unmatched: string[] = [];
    for (const [sku, quantity] of wanted) {
      const product = bySku.get(sku);
      currency ??= product?.currency ?? null;
      if (!product || product.stock === 0 || product.currency !== currency) unmatched.push(sku);
      else lines.push({ productId: product.id, quantity: clampQuantity(quantity) });
    }
    if (lines.length) {
      await tx.query(
        `INSERT INTO cart_items (tenant_id, cart_id, product_id, quantity)
         SELECT $1, $2, line.product_id, line.quantity
           FROM unnest($3::uuid[], $4::int[]) WITH ORDINALITY AS line (product_id, quantity, position)
          ORDER BY line.position
         ON CONFLICT (tenant_id, cart_id, product_id) DO UPDATE SET quantity = excluded.quantity`,
        [scope.tenantId, cartId, lines.map((line) => line.productId), lines.map((line) => line.quantity)],
      );
    }
    return { cart: await this.view(tx, scope, conversationId), unmatched };
  }

  /** The conversation's cart, created when missing, touched and locked; returns its id. */
  private async openCart(tx: EntityManager, scope: TenantScope, conversationId: string): Promise<string> {
    try {
      await tx.query(
        `INSERT INTO carts (tenant_id, conversation_id) VALUES ($1, $2)
         ON CONFLICT (tenant_id, conversation_id) DO NOTHING`,
        [scope.tenantId, conversationId],
      );
    } catch (error) {
      if (isConstraintViolation(error, '23503')) throw CommerceErrors.conversationNotFound();
      throw error;
    }
    const cartId = await this.touchCart(tx, scope, conversationId);
    // Carts are never deleted while their conversation exists, so the row is there.
    if (!cartId) throw new Error(`Cart of conversation ${conversationId} vanished`);
    return cartId;
  }

  /** Marks activity on the conversation's cart and locks it; undefined when it has none. */
  private async touchCart(tx: EntityManager, scope: TenantScope, conversationId: string): Promise<string | undefined> {
    const [rows] = await tx.query<[{ id: string }[], number]>(
      `UPDATE carts SET updated_at = now() WHERE tenant_id = $1 AND conversation_id = $2 RETURNING id`,
      [scope.tenantId, conversationId],
    );
    return rows[0]?.id;
  }

  /** The lines of products still for sale, with their current price, in the order added. */
  private async rows(tx: EntityManager, scope: TenantScope, conversationId: string): Promise<CartRow[]> {
    const rows = await tx.query<(Omit<CartRow, 'priceMinor'> & { priceMinor: string })[]>(
      `SELECT i.product_id AS "productId", p.name, p.price_minor AS "priceMinor", p.currency, i.quantity
         FROM carts c
         JOIN cart_items i ON i.tenant_id = c.tenant_id AND i.cart_id = c.id
         JOIN products p ON p.tenant_id = i.tenant_id AND p.id = i.product_id
        WHERE c.tenant_id = $1 AND c.conversation_id = $2 AND p.active AND p.deleted_at IS NULL
        ORDER BY i.added_at, i.product_id`,
      [scope.tenantId, conversationId],
    );
    return rows.map((row) => ({ ...row, priceMinor: Number(row.priceMinor) }));
  }

  /** Active products by id or by SKU (`by` is one of two literals, never input). */
  private purchasable(
    tx: EntityManager,
    scope: TenantScope,
    by: 'id' | 'sku',
    values: string[],
  ): Promise<Purchasable[]> {
    return tx.query<Purchasable[]>(
      `SELECT id, sku, currency, stock FROM products
        WHERE tenant_id = $1 AND ${by === 'id' ? 'id' : 'sku'} = ANY($2) AND active AND deleted_at IS NULL`,
      [scope.tenantId, values],
    );
  }
}

function assertConversationId(conversationId: string): void {
  if (!isUuid(conversationId)) throw CommerceErrors.conversationNotFound();
}

/** Catalog orders come from the customer's app: out-of-range quantities are clamped, not refused. */
function clampQuantity(quantity: number): number {
  if (!Number.isFinite(quantity)) return MIN_QUANTITY;
  return Math.min(MAX_QUANTITY, Math.max(MIN_QUANTITY, Math.trunc(quantity)));
}
