import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';

export type EventStatus = 'pending' | 'applied' | 'ignored' | 'failed';

export interface StoredEvent {
  id: string;
  event: string;
  reference: string | null;
  payload: Record<string, unknown>;
}

/**
 * The event while it still waits to be applied, row-locked to the end of the caller's
 * transaction: two jobs for one event (a retry and a sweep) take turns, and the second
 * finds it settled.
 */
export async function lockPendingEvent(
  tx: EntityManager,
  scope: TenantScope,
  eventId: string,
): Promise<StoredEvent | undefined> {
  const [row] = await tx.query<StoredEvent[]>(
    `SELECT id, event, reference, payload FROM payment_events
      WHERE tenant_id = $1 AND id = $2 AND status = 'pending' FOR UPDATE`,
    [scope.tenantId, eventId],
  );
  return row;
}

/** Records what became of the event; `outcome` is a short code, never personal data. */
export async function settleEvent(
  tx: EntityManager,
  scope: TenantScope,
  eventId: string,
  status: Exclude<EventStatus, 'pending'>,
  outcome: string,
): Promise<void> {
  await tx.query(
    `UPDATE payment_events SET status = $3, outcome = $4, processed_at = now()
      WHERE tenant_id = $1 AND id = $2 AND status = 'pending'`,
    [scope.tenantId, eventId, status, outcome.slice(0, 200)],
  );
}

/** The checkout link our reference belongs to, in this tenant only, with its order's number. */
export async function findAttempt(
  tx: EntityManager,
  scope: TenantScope,
  reference: string,
): Promise<{ orderId: string; orderNumber: number } | undefined> {
  const [row] = await tx.query<{ orderId: string; orderNumber: string }[]>(
    `SELECT a.order_id AS "orderId", o.number AS "orderNumber" FROM payment_attempts a
       JOIN orders o ON o.tenant_id = a.tenant_id AND o.id = a.order_id
      WHERE a.tenant_id = $1 AND a.provider = 'paystack' AND a.reference = $2`,
    [scope.tenantId, reference],
  );
  return row && { orderId: row.orderId, orderNumber: Number(row.orderNumber) };
}
