import type { EntityManager } from 'typeorm';
import { Errors } from '../../../common/errors/app-error.js';
import { positionOf } from '../../../common/http/pagination.js';
import { isUuid } from '../../../common/uuid.js';
import type { TenantScope } from '../../../database/tenant-db.js';
import type { Mode } from '../conversation-state.js';
import {
  type ConversationRow,
  type ConversationView,
  type MessageRow,
  type MessageView,
  toConversationView,
  toMessageView,
} from '../staff-inbox/inbox.views.js';

/** The staff inbox's view of a conversation: the read API's, plus the hand-over state. */
export interface StaffConversationView extends ConversationView {
  escalatedAt: string | null;
  resolvedAt: string | null;
  /** Customer messages since staff last read the conversation. */
  unreadCount: number;
}

export interface StaffConversationRow extends ConversationRow {
  escalated_at: Date | null;
  resolved_at: Date | null;
  unread_count: number;
}

/** How long a conversation has waited for staff: the inbox's sort key, oldest first. */
export const WAITING_SINCE = 'coalesce(c.escalated_at, c.created_at)';

// The window is measured on the database clock, as in the read API.
export const SELECT_STAFF_CONVERSATION = `
  SELECT c.id, c.contact_id, ct.display_name AS contact_display_name, ct.phone AS contact_phone,
         c.channel_id, c.mode, c.commerce_step, c.assignee_id, c.last_inbound_at, c.last_message_at, c.created_at,
         coalesce(c.last_inbound_at > now() - interval '24 hours', false) AS window_open,
         c.escalated_at, c.resolved_at,
         (SELECT count(*) FROM messages m
           WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.direction = 'in'
             AND (c.staff_read_at IS NULL OR m.created_at > c.staff_read_at))::int AS unread_count,
         ${positionOf(WAITING_SINCE)} AS position
  FROM conversations c
  JOIN contacts ct ON ct.tenant_id = c.tenant_id AND ct.id = c.contact_id`;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toStaffConversationView(row: StaffConversationRow): StaffConversationView {
  return {
    ...toConversationView(row),
    escalatedAt: iso(row.escalated_at),
    resolvedAt: iso(row.resolved_at),
    unreadCount: row.unread_count,
  };
}

export async function readConversation(
  tx: EntityManager,
  scope: TenantScope,
  conversationId: string,
): Promise<StaffConversationView> {
  const [row] = await tx.query<StaffConversationRow[]>(
    `${SELECT_STAFF_CONVERSATION} WHERE c.tenant_id = $1 AND c.id = $2`,
    [scope.tenantId, conversationId],
  );
  if (!row) throw Errors.notFound('Conversation');
  return toStaffConversationView(row);
}

export async function readMessage(tx: EntityManager, scope: TenantScope, messageId: string): Promise<MessageView> {
  const [row] = await tx.query<MessageRow[]>(
    `SELECT id, direction, source, body, content, delivery_status, provider_message_id, error_code, error_reason,
            in_reply_to_id, author_user_id, created_at, status_at, ${positionOf('created_at')} AS position
       FROM messages WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, messageId],
  );
  if (!row) throw Errors.notFound('Message');
  return toMessageView(row);
}

export interface LockedConversation {
  id: string;
  channelId: string;
  channelType: 'whatsapp' | 'instagram' | 'webchat';
  mode: Mode;
  assigneeId: string | null;
  lastInboundAt: Date | null;
  /** The database's clock, which stamped `lastInboundAt`. */
  now: Date;
}

/**
 * One conversation of the tenant, locked for the rest of the transaction so that a staff
 * action and the engine's turn on it happen one after the other. Another tenant's, or a
 * malformed id, is simply not found.
 */
export async function lockConversation(
  tx: EntityManager,
  scope: TenantScope,
  conversationId: string,
): Promise<LockedConversation> {
  if (!isUuid(conversationId)) throw Errors.notFound('Conversation');
  const [row] = await tx.query<
    {
      id: string;
      channel_id: string;
      channel_type: LockedConversation['channelType'];
      mode: Mode;
      assignee_id: string | null;
      last_inbound_at: Date | null;
      now: Date;
    }[]
  >(
    `SELECT c.id, c.channel_id, ch.type AS channel_type, c.mode, c.assignee_id, c.last_inbound_at, now() AS now
       FROM conversations c
       JOIN channels ch ON ch.tenant_id = c.tenant_id AND ch.id = c.channel_id
      WHERE c.tenant_id = $1 AND c.id = $2
      FOR UPDATE OF c`,
    [scope.tenantId, conversationId],
  );
  if (!row) throw Errors.notFound('Conversation');
  return {
    id: row.id,
    channelId: row.channel_id,
    channelType: row.channel_type,
    mode: row.mode,
    assigneeId: row.assignee_id,
    lastInboundAt: row.last_inbound_at,
    now: row.now,
  };
}
