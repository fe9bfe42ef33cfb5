import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';
import type { CustomerNotice, CustomerNotificationKind } from './customer-notification.js';
import type { NoticeChannel, NoticeRecipient } from './customer-notification-plan.js';

/** How Meta (131047, as a status or an answer) and our own delivery say "the window has closed". */
export const WINDOW_REFUSED_CODES = ['meta:131047', 'outside_window'];

/**
 * How long after a free-form WhatsApp send a refusal still turns into a template: Meta's
 * failed status comes within minutes, and a day-old update is better told by staff.
 */
export const FALLBACK_WATCH_SECONDS = 24 * 3600;

export interface UnsettledRow {
  id: string;
  orderId: string;
  conversationId: string;
  kind: CustomerNotificationKind;
  key: string;
  notice: Pick<CustomerNotice, 'invoice' | 'payment' | 'amountMinor'>;
  status: 'pending' | 'sent';
  /** Sent free-form on WhatsApp, and refused by Meta because the window had closed. */
  refused: boolean;
}

export interface RecipientRow extends NoticeRecipient {
  channelId: string;
}

/**
 * The order's notifications still to deal with, oldest first, locked until the caller's
 * transaction ends: the pending ones, and free-form WhatsApp sends still watched for a
 * refusal. Rows are always locked in this order, so two jobs cannot deadlock.
 */
export function lockUnsettled(tx: EntityManager, scope: TenantScope, orderId: string): Promise<UnsettledRow[]> {
  return tx.query<UnsettledRow[]>(
    `SELECT n.id, n.order_id AS "orderId", n.conversation_id AS "conversationId", n.kind, n.key, n.notice, n.status,
            (n.status = 'sent' AND m.id IS NOT NULL) AS refused
       FROM customer_notifications n
       LEFT JOIN messages m ON m.tenant_id = n.tenant_id AND m.id = n.message_id
            AND m.delivery_status = 'failed' AND m.error_code = ANY($3::text[])
      WHERE n.tenant_id = $1 AND n.order_id = $2
        AND (n.status = 'pending'
             OR (n.status = 'sent' AND n.channel = 'whatsapp' AND n.delivered_as <> 'template' AND n.fell_back_at IS NULL
                 AND n.settled_at > now() - make_interval(secs => $4)))
      ORDER BY n.created_at, n.id
      FOR UPDATE OF n`,
    [scope.tenantId, orderId, WINDOW_REFUSED_CODES, FALLBACK_WATCH_SECONDS],
  );
}

/**
 * Where the order's customer is and whether their window is open. Read from the
 * conversation and its channel directly: no service of those modules answers this, and
 * it must be read in this transaction, under the rows' locks. The window is measured on
 * the conversation, as the outbound worker measures it.
 */
export async function readRecipient(
  tx: EntityManager,
  scope: TenantScope,
  conversationId: string,
): Promise<RecipientRow> {
  const [row] = await tx.query<
    { channelId: string; type: NoticeChannel; status: string; lastInboundAt: Date | null; now: Date }[]
  >(
    `SELECT c.channel_id AS "channelId", ch.type, ch.status, c.last_inbound_at AS "lastInboundAt", now() AS now
       FROM conversations c JOIN channels ch ON ch.tenant_id = c.tenant_id AND ch.id = c.channel_id
      WHERE c.tenant_id = $1 AND c.id = $2`,
    [scope.tenantId, conversationId],
  );
  // The row's foreign key keeps its conversation; a missing one is a broken invariant.
  if (!row) throw new Error(`Conversation ${conversationId} of a notification is missing`);
  return {
    channelId: row.channelId,
    channel: row.type,
    channelUsable: row.status === 'active',
    lastInboundAt: row.lastInboundAt,
    now: row.now,
  };
}
