import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { EntityManager } from 'typeorm';
import { REDIS } from '../../../common/redis/redis.module.js';
import { AppConfig } from '../../../config/app-config.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { MessagesService } from '../../conversations/messages.service.js';
import { ConsentService } from '../../privacy/consent/consent.service.js';
import { ChannelsService, type DeliveryTarget } from '../connections/channels.service.js';
import type { OutboxMessage } from '../outbox/outbox-message.entity.js';
import { type OutboundJob, OutboundQueue } from '../outbox/outbound.queue.js';
import { ProviderError, type ProviderFailure } from '../providers/graph-errors.js';
import { announceWebchatReply } from '../webchat/webchat-signal.js';
import { ChannelSender } from './channel-sender.js';
import { messagingWindow } from './messaging-window.js';

/** How long a claimed row is ours while its send is in flight. */
const SEND_LEASE_MS = 30_000;
/**
 * How long after the claim we keep trying to record a send's outcome through a database
 * outage: the last try (which may wait for a pooled connection) must still land inside the
 * lease, so that no other job claims and re-sends a message the provider already has.
 */
const RECORD_WITHIN_MS = SEND_LEASE_MS - 10_000;
export const MAX_DELIVERY_ATTEMPTS = 8;

/** Exponential backoff with jitter: base, 2 × base, 4 × base … capped at 5 minutes. */
export function backoffMs(attempt: number, baseMs: number, suggestedMs = 0): number {
  const base = Math.min(300_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(suggestedMs, Math.round(base * (0.8 + Math.random() * 0.4)));
}

type Claim =
  | { kind: 'idle' }
  | { kind: 'wait'; ms: number; rowId: string; dueAt: number }
  | {
      kind: 'send';
      row: OutboxMessage;
      target: DeliveryTarget | undefined;
      recipient: string;
      lastInboundAt: Date | null;
      byHuman: boolean;
      /**
       * Refused, never sent: a template to a contact who withdrew marketing consent, or an
       * automated notice (source `system`) to one who withdrew consent to service messages.
       */
      consentWithdrawn: boolean;
    };

/**
 * Sends a conversation's pending replies one at a time, oldest first. A row is claimed in
 * a short transaction (a lease on `next_attempt_at`), sent with no transaction open, and
 * its outcome recorded in another: a second worker sees the lease and waits its turn, so
 * replies never overtake each other.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly channels: ChannelsService,
    private readonly sender: ChannelSender,
    private readonly messages: MessagesService,
    private readonly consent: ConsentService,
    private readonly queue: OutboundQueue,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async deliverNext(job: OutboundJob): Promise<void> {
    const scope = { tenantId: job.tenantId };
    const claimedAt = Date.now();
    const claim = await this.tenantDb.run(scope, (tx) => this.claim(tx, scope, job.conversationId));
    if (claim.kind === 'idle') return;
    if (claim.kind === 'wait') {
      // One waiting job per row and retry time (to the second): notifications that arrive
      // during a backoff collapse into it instead of each adding another.
      return this.queue.enqueue(job, `${claim.rowId}:due:${Math.ceil(claim.dueAt / 1000)}`, claim.ms);
    }
    const outcome = await this.attempt(claim);
    const next = await this.recordPatiently(scope, claim.row, outcome, claimedAt + RECORD_WITHIN_MS);
    // Committed, so readable: wake whichever API instance holds the customer's long-poll.
    if (outcome.ok && claim.target?.type === 'webchat')
      await announceWebchatReply(this.redis, this.config.redis.prefix, claim.recipient);
    if (outcome.ok || outcome.failure.retry === 'permanent') {
      // A new job id: the job that announced `next` may be this very job, still active,
      // and Bull ignores an id it already holds.
      if (next) await this.queue.enqueue(job, `${next}:after:${claim.row.id}`);
    } else {
      await this.queue.enqueue(job, `${claim.row.id}-retry-${claim.row.attempts}`, outcome.retryInMs);
    }
    if (!outcome.ok && outcome.failure.reconnect)
      await this.channels.markNeedsReconnect(scope, claim.row.channelId, outcome.failure.reason);
  }

  private async claim(tx: EntityManager, scope: TenantScope, conversationId: string): Promise<Claim> {
    const [row] = await tx.query<(OutboxMessage & { due_in_ms: number })[]>(
      `SELECT id, channel_id AS "channelId", conversation_id AS "conversationId", message_id AS "messageId", payload, attempts,
              greatest(0, extract(epoch FROM next_attempt_at - now()) * 1000)::int AS due_in_ms
         FROM outbox_messages
        WHERE tenant_id = $1 AND conversation_id = $2 AND status = 'pending'
        ORDER BY id LIMIT 1 FOR UPDATE`,
      [scope.tenantId, conversationId],
    );
    if (!row) return { kind: 'idle' };
    if (row.due_in_ms > 0) return { kind: 'wait', ms: row.due_in_ms, rowId: row.id, dueAt: Date.now() + row.due_in_ms };
    const [recipient] = await tx.query<
      { contact_id: string; external_ref: string; last_inbound_at: Date | null; source: string }[]
    >(
      `SELECT c.contact_id, ct.external_ref, c.last_inbound_at, m.source
         FROM conversations c JOIN contacts ct ON ct.tenant_id = c.tenant_id AND ct.id = c.contact_id
         JOIN messages m ON m.tenant_id = c.tenant_id AND m.id = $3
        WHERE c.tenant_id = $1 AND c.id = $2`,
      [scope.tenantId, conversationId, row.messageId],
    );
    await tx.query(
      `UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $3) WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, row.id, SEND_LEASE_MS / 1000],
    );
    return {
      kind: 'send',
      row: { ...row, attempts: row.attempts + 1 },
      target: await this.channels.getDeliveryTarget(tx, scope, row.channelId),
      recipient: recipient.external_ref,
      lastInboundAt: recipient.last_inbound_at,
      byHuman: recipient.source === 'staff',
      // Checked when the row is sent, not when it was queued: a STOP that arrived meanwhile wins.
      consentWithdrawn:
        (row.payload.kind === 'template' &&
          (await this.consent.isWithdrawn(tx, scope, recipient.contact_id, 'marketing'))) ||
        (recipient.source === 'system' && (await this.consent.isWithdrawn(tx, scope, recipient.contact_id, 'service'))),
    };
  }

  private async attempt(
    claim: Claim & { kind: 'send' },
  ): Promise<{ ok: true; providerMessageId: string } | { ok: false; failure: ProviderFailure; retryInMs: number }> {
    const { row, target } = claim;
    const fail = (code: string, reason: string) => ({
      ok: false as const,
      failure: {
        retry: 'permanent' as const,
        reconnect: false,
        outsideWindow: code === 'outside_window',
        code,
        reason,
      },
      retryInMs: 0,
    });
    if (!target || target.status === 'disconnected') return fail('channel_disconnected', 'The channel is disconnected');
    if (target.status === 'needs_reconnect') return fail('channel_needs_reconnect', 'The channel needs reconnecting');
    if (claim.consentWithdrawn) return fail('consent_withdrawn', 'The customer withdrew consent to this message');
    const window = messagingWindow(target.type, row.payload, claim.lastInboundAt, claim.byHuman);
    if (!window.send) return fail('outside_window', window.reason);
    try {
      const providerMessageId = await this.sender.send(target, { externalRef: claim.recipient }, row.payload, {
        humanAgent: window.humanAgentTag,
      });
      return { ok: true, providerMessageId };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const exhausted = row.attempts >= MAX_DELIVERY_ATTEMPTS;
      const failure = exhausted ? { ...error.failure, retry: 'permanent' as const } : error.failure;
      this.logger.warn(
        { tenantId: row.tenantId, outboxId: row.id, code: failure.code, attempt: row.attempts, retry: failure.retry },
        'delivery failed',
      );
      return {
        ok: false,
        failure,
        retryInMs: backoffMs(row.attempts, this.config.delivery.retryBaseMs, failure.retryAfterMs),
      };
    }
  }

  /**
   * The provider has answered, so the outcome must be recorded even if PostgreSQL is briefly
   * away (a restart, a failover): giving up would let the lease lapse and send it twice.
   */
  private async recordPatiently(
    scope: TenantScope,
    row: OutboxMessage,
    outcome: Awaited<ReturnType<DeliveryService['attempt']>>,
    deadline: number,
  ): Promise<string | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.tenantDb.run(scope, (tx) => this.record(tx, scope, row, outcome));
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        this.logger.warn(
          { err: error, tenantId: scope.tenantId, outboxId: row.id },
          'recording a send failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2000)));
      }
    }
  }

  /** Records the outcome; returns the id of the conversation's next pending row, if any. */
  private async record(
    tx: EntityManager,
    scope: TenantScope,
    row: OutboxMessage,
    outcome: Awaited<ReturnType<DeliveryService['attempt']>>,
  ): Promise<string | undefined> {
    if (outcome.ok) {
      await tx.query(
        `UPDATE outbox_messages SET status = 'sent', sent_at = now(), last_error = NULL WHERE tenant_id = $1 AND id = $2`,
        [scope.tenantId, row.id],
      );
      await this.messages.applyStatus(
        tx,
        scope,
        { messageId: row.messageId },
        { status: 'sent', providerMessageId: outcome.providerMessageId },
      );
    } else if (outcome.failure.retry === 'permanent') {
      await tx.query(`UPDATE outbox_messages SET status = 'failed', last_error = $3 WHERE tenant_id = $1 AND id = $2`, [
        scope.tenantId,
        row.id,
        `${outcome.failure.code}: ${outcome.failure.reason}`.slice(0, 1000),
      ]);
      await this.messages.applyStatus(
        tx,
        scope,
        { messageId: row.messageId },
        {
          status: 'failed',
          errorCode: outcome.failure.code,
          errorReason: outcome.failure.reason,
        },
      );
    } else {
      // Only while the claim is still ours: a late record must not shorten another job's lease.
      await tx.query(
        `UPDATE outbox_messages SET next_attempt_at = now() + make_interval(secs => $3), last_error = $4
          WHERE tenant_id = $1 AND id = $2 AND status = 'pending' AND attempts = $5`,
        [
          scope.tenantId,
          row.id,
          outcome.retryInMs / 1000,
          `${outcome.failure.code}: ${outcome.failure.reason}`.slice(0, 1000),
          row.attempts,
        ],
      );
      return undefined;
    }
    const [next] = await tx.query<{ id: string }[]>(
      `SELECT id FROM outbox_messages WHERE tenant_id = $1 AND conversation_id = $2 AND status = 'pending' ORDER BY id LIMIT 1`,
      [scope.tenantId, row.conversationId],
    );
    return next?.id;
  }
}
