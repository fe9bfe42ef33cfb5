import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { ConversationsService } from '../../conversations/conversations.service.js';
import { ConversationEngine } from '../../conversations/engine/conversation-engine.js';
import type { ReplyContext } from '../../conversations/engine/replies.js';
import { MessagesService } from '../../conversations/messages.service.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { ChannelsService } from '../connections/channels.service.js';
import type { InboundContent } from '../meta/meta-events.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { InboundJob } from './inbound.queue.js';

interface InboxRow {
  id: string;
  channel_id: string;
  customer_ref: string;
  customer_name: string | null;
  content: InboundContent;
  sent_at: Date;
  processed_at: Date | null;
}

/**
 * Drains one customer's unprocessed inbox rows, in the order the customer sent them,
 * under an advisory lock on (channel, customer): two workers holding two jobs of the same
 * customer take turns, and workers serve different customers in parallel.
 */
@Injectable()
export class InboundPipeline {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly tenants: TenantsService,
    private readonly channels: ChannelsService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly engine: ConversationEngine,
    private readonly outbox: OutboxService,
  ) {}

  async process(job: InboundJob): Promise<void> {
    const scope = { tenantId: job.tenantId };
    const tenant = await this.tenants.get(job.tenantId);
    // A suspended business keeps its messages, unanswered, until it is reinstated.
    if (tenant.status === 'suspended') return;
    const drained = await this.tenantDb.run(scope, (tx) =>
      this.drain(tx, scope, job.inboxId, { businessName: tenant.name, locale: tenant.locale }),
    );
    if (drained?.lastOutboxId) await this.outbox.notify(scope, drained.conversation, drained.lastOutboxId);
  }

  private async drain(tx: EntityManager, scope: TenantScope, inboxId: string, business: Omit<ReplyContext, 'channel'>) {
    const [first] = await tx.query<InboxRow[]>(
      `SELECT channel_id, customer_ref, processed_at FROM inbox_messages WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, inboxId],
    );
    if (!first || first.processed_at) return undefined;
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `inbound:${first.channel_id}:${first.customer_ref}`,
    ]);
    const pending = await tx.query<InboxRow[]>(
      `SELECT id, channel_id, customer_ref, customer_name, content, sent_at FROM inbox_messages
        WHERE tenant_id = $1 AND channel_id = $2 AND customer_ref = $3 AND processed_at IS NULL
        ORDER BY sent_at, id`,
      [scope.tenantId, first.channel_id, first.customer_ref],
    );
    if (pending.length === 0) return undefined;
    const channel = await this.channels.getDeliveryTarget(tx, scope, first.channel_id);
    const markProcessed = () =>
      tx.query(`UPDATE inbox_messages SET processed_at = now() WHERE tenant_id = $1 AND id = ANY($2::bigint[])`, [
        scope.tenantId,
        pending.map((row) => row.id),
      ]);
    // Nothing is answered on a disconnected channel; its messages are kept as received.
    if (!channel || channel.status === 'disconnected') {
      await markProcessed();
      return undefined;
    }
    const last = pending[pending.length - 1];
    const conversation = await this.conversations.openForInbound(
      tx,
      scope,
      {
        channelId: channel.id,
        externalRef: first.customer_ref,
        displayName: last.customer_name,
        phone: whatsappPhone(channel.type, first.customer_ref),
      },
      last.sent_at,
    );
    const context: ReplyContext = { ...business, channel: channel.type };
    let lastOutboxId: string | undefined;
    for (const row of pending) {
      const messageId = await this.messages.recordInbound(tx, scope, conversation.id, {
        inboxId: row.id,
        content: row.content,
        sentAt: row.sent_at,
      });
      if (!messageId) continue;
      const outboxIds = await this.engine.handle(tx, scope, { conversation, messageId, content: row.content, context });
      lastOutboxId = outboxIds[outboxIds.length - 1] ?? lastOutboxId;
    }
    await markProcessed();
    return { conversation: { conversationId: conversation.id, channelId: channel.id }, lastOutboxId };
  }
}

/** A WhatsApp id is the customer's number in international form, without the '+'. */
function whatsappPhone(channel: string, waId: string): string | null {
  return channel === 'whatsapp' && /^[1-9]\d{6,14}$/.test(waId) ? `+${waId}` : null;
}
