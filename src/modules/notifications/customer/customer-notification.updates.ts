import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';
import type { DeliveredAs, NoticeChannel, UndeliverableReason } from './customer-notification-plan.js';
import type { UnsettledRow } from './customer-notification.rows.js';

/**
 * Deliveries of one notification that may fail with an error before it is given up. The
 * queue tries a job 5 times, so a notification that always fails ends with its first job.
 */
export const MAX_DELIVERY_ATTEMPTS = 5;

const RESENT_AS_TEMPLATE = 'free-form refused outside the 24-hour window: sent as a template';

/** How a notification went out. */
export interface SentAs {
  channel: NoticeChannel;
  deliveredAs: DeliveredAs;
  messageId: string;
}

// The outcomes below are written under the row lock `lockUnsettled` took, so the row's
// status is the one the caller read. A pending row is settled once; a free-form WhatsApp
// send Meta refused is dealt with once more (`fell_back_at`) and keeps its `settled_at`.

/** A pending notification went out. */
export async function markSent(tx: EntityManager, scope: TenantScope, id: string, sent: SentAs): Promise<void> {
  await tx.query(
    `UPDATE customer_notifications SET status = 'sent', channel = $3, delivered_as = $4, message_id = $5,
       settled_at = now()
     WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, id, sent.channel, sent.deliveredAs, sent.messageId],
  );
}

/** A free-form send Meta refused for the closed window went out again, as the template. */
export async function markResentAsTemplate(
  tx: EntityManager,
  scope: TenantScope,
  id: string,
  sent: SentAs,
): Promise<void> {
  await tx.query(
    `UPDATE customer_notifications SET channel = $3, delivered_as = $4, message_id = $5, reason = $6,
       fell_back_at = now()
     WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, id, sent.channel, sent.deliveredAs, sent.messageId, RESENT_AS_TEMPLATE],
  );
}

/** Given up: the customer is not told this way; staff are. */
export async function markUndeliverable(
  tx: EntityManager,
  scope: TenantScope,
  row: Pick<UnsettledRow, 'id' | 'status'>,
  reason: UndeliverableReason,
): Promise<void> {
  if (row.status === 'pending') {
    await tx.query(
      `UPDATE customer_notifications SET status = 'undeliverable', reason = $3, settled_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, row.id, reason],
    );
    return;
  }
  // A refused send: its refusal is dealt with now; it was settled when it was sent.
  await tx.query(
    `UPDATE customer_notifications SET status = 'undeliverable', reason = $3, fell_back_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, row.id, reason],
  );
}

/** Counts a delivery that failed with an error and keeps the error. Returns the attempts so far. */
export async function countFailedAttempt(
  tx: EntityManager,
  scope: TenantScope,
  id: string,
  error: unknown,
): Promise<number> {
  const lastError = (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error').slice(0, 500);
  const [[row]] = await tx.query<[[{ attempts: number }], number]>(
    `UPDATE customer_notifications SET attempts = attempts + 1, last_error = $3
      WHERE tenant_id = $1 AND id = $2 RETURNING attempts`,
    [scope.tenantId, id, lastError],
  );
  return row.attempts;
}
