import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../database/tenant-db.js';
import { OutboxService } from '../channels/outbox/outbox.service.js';
import { type OutboundPayload, plainText } from '../channels/outbox/outbound-payload.js';
import type { InboundContent } from '../channels/meta/meta-events.js';
import type { DeliveryStatus, MessageSource } from './entities/message.entity.js';

export interface NewReply {
  source: Exclude<MessageSource, 'customer'>;
  payload: OutboundPayload;
  inReplyToId?: string | null;
  authorUserId?: string | null;
}

// Statuses arrive out of order; a later one never moves a message backwards.
const STATUS_RANK: Record<DeliveryStatus, number> = {
  pending: 0,
  sent: 1,
  failed: 2,
  undeliverable: 2,
  delivered: 3,
  read: 4,
};

/** The transcript of a conversation: what the customer sent and what we answered. */
@Injectable()
export class MessagesService {
  constructor(private readonly outbox: OutboxService) {}

  /**
   * Records a customer message once and returns it, new or already there. Its
   * `created_at` is our clock, like the replies', so the transcript orders exactly; the
   * provider's own (whole-second) time stays on the inbox row.
   */
  async recordInbound(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    input: { inboxId: string; content: InboundContent },
  ): Promise<{ id: string; inserted: boolean }> {
    // A replayed inbox row (a retried job) finds its message instead of adding another.
    const [row] = await tx.query<{ id: string; inserted: boolean }[]>(
      `INSERT INTO messages (tenant_id, conversation_id, direction, source, body, content, inbox_id)
       VALUES ($1, $2, 'in', 'customer', $3, $4, $5)
       ON CONFLICT (tenant_id, inbox_id) WHERE inbox_id IS NOT NULL DO UPDATE SET inbox_id = excluded.inbox_id
       RETURNING id, (xmax = 0) AS inserted`,
      [scope.tenantId, conversationId, inboundText(input.content), JSON.stringify(input.content), input.inboxId],
    );
    return row;
  }

  /** Records a reply and queues it for delivery in the same transaction; returns the outbox id. */
  async recordReply(
    tx: EntityManager,
    scope: TenantScope,
    conversation: { id: string; channelId: string },
    reply: NewReply,
  ): Promise<{ outboxId: string; messageId: string }> {
    const [message] = await tx.query<{ id: string }[]>(
      `INSERT INTO messages (tenant_id, conversation_id, direction, source, body, content, in_reply_to_id, author_user_id, delivery_status)
       VALUES ($1, $2, 'out', $3, $4, $5, $6, $7, 'pending')
       RETURNING id`,
      [
        scope.tenantId,
        conversation.id,
        reply.source,
        plainText(reply.payload).slice(0, 8192),
        JSON.stringify(reply.payload),
        reply.inReplyToId ?? null,
        reply.authorUserId ?? null,
      ],
    );
    const outboxId = await this.outbox.add(tx, scope, {
      channelId: conversation.channelId,
      conversationId: conversation.id,
      messageId: message.id,
      payload: reply.payload,
    });
    return { outboxId, messageId: message.id };
  }

  /** Applies a delivery status from the provider (or our own sender), never downgrading. */
  async applyStatus(
    tx: EntityManager,
    scope: TenantScope,
    where: { messageId: string } | { providerMessageId: string },
    update: { status: DeliveryStatus; at?: Date; providerMessageId?: string; errorCode?: string; errorReason?: string },
  ): Promise<void> {
    const lowerRanks = Object.entries(STATUS_RANK)
      .filter(([, rank]) => rank < STATUS_RANK[update.status])
      .map(([status]) => status);
    const [column, value] =
      'messageId' in where ? ['id', where.messageId] : ['provider_message_id', where.providerMessageId];
    await tx.query(
      `UPDATE messages SET delivery_status = $3, status_at = $4,
         provider_message_id = coalesce($5, provider_message_id),
         error_code = coalesce($6, error_code), error_reason = coalesce($7, error_reason)
       WHERE tenant_id = $1 AND ${column} = $2 AND direction = 'out' AND delivery_status = ANY($8)`,
      [
        scope.tenantId,
        value,
        update.status,
        update.at ?? new Date(),
        update.providerMessageId ?? null,
        update.errorCode ?? null,
        update.errorReason?.slice(0, 1000) ?? null,
        lowerRanks,
      ],
    );
  }
}

/** The words of a customer message, for the transcript and for staff. */
export function inboundText(content: InboundContent): string {
  switch (content.kind) {
    case 'text':
      return content.text;
    case 'button':
    case 'list':
      return content.title;
    case 'order':
      return content.text ?? `[order of ${content.items.length} item(s)]`;
    case 'media':
      return content.caption ?? `[${content.mediaType}]`;
    case 'location':
      return `[location ${content.latitude},${content.longitude}]`;
    case 'reaction':
      return content.emoji ?? '[reaction]';
    case 'unsupported':
      return `[${content.type}]`;
  }
}
