import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Errors } from '../../../common/errors/app-error.js';
import {
  decodeKeyset,
  type Page,
  pageSize,
  type PageQuery,
  positionOf,
  toKeysetPage,
} from '../../../common/http/pagination.js';
import { isUuid } from '../../../common/uuid.js';
import { TenantDb } from '../../../database/tenant-db.js';
import type { ListConversationsQuery } from '../dto/list-conversations.query.js';
import {
  type ConversationRow,
  type ConversationView,
  type MessageRow,
  type MessageView,
  toConversationView,
  toMessageView,
} from './inbox.views.js';
import { SqlParams } from './sql-params.js';

// The window is measured on the database clock, the same clock that stamped the rows.
const SELECT_CONVERSATION = `
  SELECT c.id, c.contact_id, ct.display_name AS contact_display_name, ct.phone AS contact_phone,
         c.channel_id, c.mode, c.commerce_step, c.assignee_id, c.last_inbound_at, c.last_message_at, c.created_at,
         coalesce(c.last_inbound_at > now() - interval '24 hours', false) AS window_open,
         ${positionOf('c.last_message_at')} AS position
  FROM conversations c
  JOIN contacts ct ON ct.tenant_id = c.tenant_id AND ct.id = c.contact_id`;

const SELECT_MESSAGE = `
  SELECT id, direction, source, body, content, delivery_status, provider_message_id, error_code, error_reason,
         in_reply_to_id, author_user_id, created_at, status_at, ${positionOf('created_at')} AS position
  FROM messages`;

/** Conversations and their transcripts, as the staff inbox reads them. */
@Injectable()
export class ConversationsReadService {
  constructor(private readonly tenantDb: TenantDb) {}

  /** Newest activity first: `last_message_at DESC, id DESC`, as the inbox indexes are built. */
  list(ctx: TenantContext, query: ListConversationsQuery): Promise<Page<ConversationView>> {
    const after = decodeKeyset(query.cursor, { nullable: true });
    const limit = pageSize(query);
    const params = new SqlParams();
    const where = [`c.tenant_id = ${params.add(ctx.tenantId)}`];
    if (query.mode) where.push(`c.mode = ${params.add(query.mode)}`);
    if (query.channelId) where.push(`c.channel_id = ${params.add(query.channelId)}`);
    if (after) {
      const id = `${params.add(after.id)}::uuid`;
      // Descending order puts conversations without activity (null) first. After one of
      // them come the rest of the nulls, then every dated row; after a dated row, a row
      // comparison skips nulls by itself (it yields null for them).
      where.push(
        after.at === null
          ? `(c.last_message_at IS NOT NULL OR c.id < ${id})`
          : `(c.last_message_at, c.id) < (${params.add(after.at)}::timestamptz, ${id})`,
      );
    }
    const sql = `${SELECT_CONVERSATION} WHERE ${where.join(' AND ')}
      ORDER BY c.last_message_at DESC, c.id DESC LIMIT ${params.add(limit + 1)}`;
    return this.tenantDb.run(ctx, async (tx) =>
      toKeysetPage(await tx.query<ConversationRow[]>(sql, params.values), limit, toConversationView),
    );
  }

  async get(ctx: TenantContext, conversationId: string): Promise<ConversationView> {
    return this.tenantDb.run(ctx, async (tx) => toConversationView(await findConversation(tx, ctx, conversationId)));
  }

  /** The transcript, oldest first, on the `(tenant_id, conversation_id, created_at, id)` index. */
  transcript(ctx: TenantContext, conversationId: string, query: PageQuery): Promise<Page<MessageView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    return this.tenantDb.run(ctx, async (tx) => {
      const conversation = await findConversation(tx, ctx, conversationId);
      const params = new SqlParams();
      const where = [`tenant_id = ${params.add(ctx.tenantId)}`, `conversation_id = ${params.add(conversation.id)}`];
      if (after) where.push(`(created_at, id) > (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::uuid)`);
      const sql = `${SELECT_MESSAGE} WHERE ${where.join(' AND ')}
        ORDER BY created_at, id LIMIT ${params.add(limit + 1)}`;
      return toKeysetPage(await tx.query<MessageRow[]>(sql, params.values), limit, toMessageView);
    });
  }
}

/** One conversation of the tenant; another tenant's, or a malformed id, is simply not found. */
async function findConversation(tx: EntityManager, ctx: TenantContext, conversationId: string) {
  if (!isUuid(conversationId)) throw Errors.notFound('Conversation');
  const [row] = await tx.query<ConversationRow[]>(`${SELECT_CONVERSATION} WHERE c.tenant_id = $1 AND c.id = $2`, [
    ctx.tenantId,
    conversationId,
  ]);
  if (!row) throw Errors.notFound('Conversation');
  return row;
}
