import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';

const SHOWN = 10;

/**
 * Numbers of orders that may still be paid through a Paystack link already sent: not
 * cancelled, not paid or refunded. Their webhooks are signed, and their payments verified,
 * with the key stored now.
 */
export async function ordersWithOpenPaystackLinks(tx: EntityManager, scope: TenantScope): Promise<number[]> {
  const rows = await tx.query<{ number: string }[]>(
    `SELECT o.number FROM orders o
      WHERE o.tenant_id = $1 AND o.status <> 'cancelled' AND o.payment_status NOT IN ('paid', 'refunded')
        AND EXISTS (SELECT 1 FROM payment_attempts a WHERE a.tenant_id = o.tenant_id AND a.order_id = o.id)
      ORDER BY o.number LIMIT $2`,
    [scope.tenantId, SHOWN],
  );
  return rows.map((row) => Number(row.number));
}
