import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';

export type EventStatus = 'pending' | 'applied' | 'ignored' | 'failed';

export interface StoredEvent {
  id: string;
  event: string;
  reference: string | null;
  payload: Record<string, unknown>;
  /** Errors met by earlier tries. */
  failures: number;
  receivedAt: Date;
}

const EVENT_COLUMNS = `id, event, reference, payload, failures, received_at AS "receivedAt"`;

/**
 * The event if it still waits to be applied, read without a lock: what to do with it is
 * decided outside any transaction (Paystack's verify call comes first), and whoever settles
 * it takes `lockPendingEvent` in the settling transaction.
 */
export async function findPendingEvent(
  tx: EntityManager,
  scope: TenantScope,
  eventId: string,
): Promise<StoredEvent | undefined> {
  const [row] = await tx.query<StoredEvent[]>(
    `SELECT ${EVENT_COLUMNS} FROM payment_events WHERE tenant_id = $1 AND id = $2 AND status = 'pending'`,
    [scope.tenantId, eventId],
  );
  return row;
}

/**
 * The event while it still waits to be applied, row-locked to the end of the caller's
 * transaction, which settles it: two jobs for one event (a retry and a sweep) take turns,
 * and the second finds it settled.
 */
export async function lockPendingEvent(
  tx: EntityManager,
  scope: TenantScope,
  eventId: string,
): Promise<StoredEvent | undefined> {
  const [row] = await tx.query<StoredEvent[]>(
    `SELECT ${EVENT_COLUMNS} FROM payment_events
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

/** A try left the event pending: why, how many errors so far, and when (for the sweeper). */
export async function noteUnsettledTry(
  tx: EntityManager,
  scope: TenantScope,
  eventId: string,
  unsettled: { reason: string; failures: number },
): Promise<void> {
  await tx.query(
    `UPDATE payment_events SET last_error = $3, failures = $4, attempted_at = now()
      WHERE tenant_id = $1 AND id = $2 AND status = 'pending'`,
    [scope.tenantId, eventId, unsettled.reason.slice(0, 200), unsettled.failures],
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
