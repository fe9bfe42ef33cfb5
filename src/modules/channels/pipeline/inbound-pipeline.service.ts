import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb, type TenantScope, withSavepoint } from '../../../database/tenant-db.js';
import { ConversationsService } from '../../conversations/conversations.service.js';
import { AiTurnService, type AiRequest } from '../../conversations/engine/ai-turn.service.js';
import { ConversationEngine } from '../../conversations/engine/conversation-engine.js';
import type { Conversation } from '../../conversations/entities/conversation.entity.js';
import type { ReplyContext } from '../../conversations/engine/replies.js';
import type { ConversationEvent } from '../../conversations/events/conversation-events.js';
import { ConversationEventsPublisher } from '../../conversations/events/conversation-events.publisher.js';
import { MessagesService } from '../../conversations/messages.service.js';
import type { Tenant } from '../../tenants/entities/tenant.entity.js';
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

interface DrainResult {
  conversation: { conversationId: string; channelId: string };
  lastOutboxId?: string;
  events: ConversationEvent[];
  /** A message failed; the rows before it committed. Set aside when it failed too often. */
  failure?: { error: unknown; setAside: boolean };
  /** The drain stopped at a message for the AI; it runs outside the transaction. */
  ai?: AiRequest;
}

// Each pass answers at least one message; the bound only stops a pathological loop.
const MAX_PASSES = 50;
/** Attempts before a message that keeps failing is set aside (the queue retries 5 times). */
export const MAX_MESSAGE_ATTEMPTS = 5;

/**
 * Drains one customer's unprocessed inbox rows, in the order the customer sent them,
 * under an advisory lock on (channel, customer): two workers holding two jobs of the same
 * customer take turns, and workers serve different customers in parallel. A message for
 * the AI ends a pass; its turn runs with no transaction open, then draining goes on.
 */
@Injectable()
export class InboundPipeline {
  private readonly logger = new Logger(InboundPipeline.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly tenants: TenantsService,
    private readonly channels: ChannelsService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly engine: ConversationEngine,
    private readonly aiTurns: AiTurnService,
    private readonly outbox: OutboxService,
    private readonly events: ConversationEventsPublisher,
  ) {}

  async process(job: InboundJob): Promise<void> {
    const scope = { tenantId: job.tenantId };
    const tenant = await this.tenants.get(job.tenantId);
    // A suspended business keeps its messages, unanswered, until it is reinstated.
    if (tenant.status === 'suspended') return;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const drained = await this.tenantDb.run(scope, (tx) => this.drain(tx, scope, job.inboxId, tenant));
      if (!drained) return;
      await this.announce(scope, drained.conversation, drained.lastOutboxId, drained.events);
      if (drained.failure) {
        // Retried by the queue with backoff; a message set aside lets the next pass go on.
        if (!drained.failure.setAside) throw drained.failure.error;
        continue;
      }
      if (!drained.ai) return;
      const turn = await this.aiTurns.run(scope, drained.ai);
      if (turn === 'busy') return;
      await this.announce(scope, drained.conversation, turn.outboxIds.at(-1), turn.events);
    }
  }

  private async announce(
    scope: TenantScope,
    conversation: DrainResult['conversation'],
    lastOutboxId: string | undefined,
    events: ConversationEvent[],
  ): Promise<void> {
    if (lastOutboxId) await this.outbox.notify(scope, conversation, lastOutboxId);
    if (events.length) await this.events.publish(scope.tenantId, events);
  }

  private async drain(
    tx: EntityManager,
    scope: TenantScope,
    inboxId: string,
    tenant: Tenant,
  ): Promise<DrainResult | undefined> {
    const [first] = await tx.query<InboxRow[]>(
      `SELECT channel_id, customer_ref FROM inbox_messages WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, inboxId],
    );
    if (!first) return undefined;
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `inbound:${first.channel_id}:${first.customer_ref}`,
    ]);
    const pending = await this.pendingRows(tx, scope, first);
    if (pending.length === 0) return undefined;
    // Status and type only: answering needs no token, so none is decrypted here.
    const channel = await this.channels.findIn(tx, scope, first.channel_id).catch(() => undefined);
    const markProcessed = (ids: string[]) =>
      tx.query(`UPDATE inbox_messages SET processed_at = now() WHERE tenant_id = $1 AND id = ANY($2::bigint[])`, [
        scope.tenantId,
        ids,
      ]);
    // Nothing is answered on a disconnected channel; its messages are kept as received.
    if (!channel || channel.status === 'disconnected') {
      await markProcessed(pending.map((row) => row.id));
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
    const result: DrainResult = {
      conversation: { conversationId: conversation.id, channelId: channel.id },
      events: [],
    };
    // A turn of the AI still running holds the customer's later messages back, in order.
    if (await this.aiTurnRunning(tx, scope, conversation.id)) return result;
    const context: ReplyContext & { description: string | null } = {
      businessName: tenant.name,
      locale: tenant.locale,
      channel: channel.type,
      description: tenant.description,
    };
    // Read again now that the conversation is locked: an AI turn that finished while we
    // waited for the lock has answered (and marked) one of the rows read above.
    const unanswered = await this.pendingRows(tx, scope, first);
    const processed: string[] = [];
    for (const row of unanswered) {
      // Each message in its own savepoint: one that fails is rolled back alone, counted,
      // and after a few attempts set aside, so it cannot hold the customer's next ones.
      try {
        const turn = await withSavepoint(tx, 'inbox_row', () => this.answer(tx, scope, conversation, row, context));
        result.lastOutboxId = turn.lastOutboxId ?? result.lastOutboxId;
        result.ai = turn.ai;
        result.events.push(...turn.events);
      } catch (error) {
        result.failure = { error, setAside: await this.recordFailure(tx, scope, row.id, error) };
        break;
      }
      if (result.ai) break;
      processed.push(row.id);
    }
    await markProcessed(processed);
    return result;
  }

  /** Records one customer message and lets the engine answer it (or hand it to the AI). */
  private async answer(
    tx: EntityManager,
    scope: TenantScope,
    conversation: Conversation,
    row: InboxRow,
    context: ReplyContext & { description: string | null },
  ): Promise<Pick<DrainResult, 'lastOutboxId' | 'ai' | 'events'>> {
    const message = await this.messages.recordInbound(tx, scope, conversation.id, {
      inboxId: row.id,
      content: row.content,
    });
    const events: ConversationEvent[] = [];
    if (message.inserted)
      events.push({
        type: 'message.created',
        conversationId: conversation.id,
        messageId: message.id,
        direction: 'in',
        source: 'customer',
      });
    const outcome = await this.engine.handle(tx, scope, {
      conversation,
      messageId: message.id,
      content: row.content,
      context,
    });
    events.push(...outcome.events);
    const ai = outcome.needsAi && {
      conversationId: conversation.id,
      messageId: message.id,
      inboxId: row.id,
      text: outcome.needsAi.text,
      context,
    };
    return { lastOutboxId: outcome.outboxIds.at(-1), ai: ai || undefined, events };
  }

  /** Counts a failed attempt; past the limit the row is set aside. Returns whether it was. */
  private async recordFailure(
    tx: EntityManager,
    scope: TenantScope,
    inboxId: string,
    error: unknown,
  ): Promise<boolean> {
    const reason = (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error').slice(0, 500);
    const [[row]] = await tx.query<[[{ attempts: number }], number]>(
      `UPDATE inbox_messages SET attempts = attempts + 1, last_error = $3,
         failed_at = CASE WHEN attempts + 1 >= $4 THEN now() END,
         processed_at = CASE WHEN attempts + 1 >= $4 THEN now() END
       WHERE tenant_id = $1 AND id = $2 RETURNING attempts`,
      [scope.tenantId, inboxId, reason, MAX_MESSAGE_ATTEMPTS],
    );
    const setAside = row.attempts >= MAX_MESSAGE_ATTEMPTS;
    this.logger.error(
      { err: error, tenantId: scope.tenantId, inboxId, attempts: row.attempts, setAside },
      'inbound message failed',
    );
    return setAside;
  }

  private pendingRows(tx: EntityManager, scope: TenantScope, customer: Pick<InboxRow, 'channel_id' | 'customer_ref'>) {
    return tx.query<InboxRow[]>(
      `SELECT id, channel_id, customer_ref, customer_name, content, sent_at FROM inbox_messages
        WHERE tenant_id = $1 AND channel_id = $2 AND customer_ref = $3 AND processed_at IS NULL
        ORDER BY sent_at, id`,
      [scope.tenantId, customer.channel_id, customer.customer_ref],
    );
  }

  private async aiTurnRunning(tx: EntityManager, scope: TenantScope, conversationId: string): Promise<boolean> {
    const rows = await tx.query<unknown[]>(
      `SELECT 1 FROM ai_turns WHERE tenant_id = $1 AND conversation_id = $2 AND status = 'running' AND lease_until > now()`,
      [scope.tenantId, conversationId],
    );
    return rows.length > 0;
  }
}

/** A WhatsApp id is the customer's number in international form, without the '+'. */
function whatsappPhone(channel: string, waId: string): string | null {
  return channel === 'whatsapp' && /^[1-9]\d{6,14}$/.test(waId) ? `+${waId}` : null;
}
