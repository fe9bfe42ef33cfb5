import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboundQueue } from '../outbox/outbound.queue.js';
import { InboundQueue } from './inbound.queue.js';

export const SWEEP_INTERVAL_MS = 5_000;
// Younger rows are still on their way through the queue; leave them be.
const STALE_AFTER_SECONDS = 10;
const BATCH = 500;
const RESWEEP_WINDOW_MS = 30_000;

/**
 * Re-enqueues inbox and outbox rows that no job will pick up — Redis was away when they
 * were stored, or a job was lost. A plain interval over Postgres, not a Bull repeatable
 * job, so it works exactly when Redis did not. Enqueuing is idempotent (job ids and the
 * handlers' own checks), so several workers may sweep at once.
 */
@Injectable()
export class SweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SweeperService.name);
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly inbound: InboundQueue,
    private readonly outbound: OutboundQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<{ inbox: number; outbox: number }> {
    if (this.sweeping) return { inbox: 0, outbox: 0 };
    this.sweeping = true;
    try {
      const { inbox, outbox } = await this.findStale();
      // A fresh job id per sweep window: Bull ignores an id it still holds, and a job that
      // failed for good keeps its id, so re-using it would never retry the row.
      const window = `:sweep:${Math.floor(Date.now() / RESWEEP_WINDOW_MS)}`;
      await this.inbound.enqueueAll(
        inbox.map((row) => ({ tenantId: row.tenant_id, inboxId: row.id })),
        window,
      );
      for (const row of outbox) {
        await this.outbound.enqueue(
          { tenantId: row.tenant_id, conversationId: row.conversation_id, channelId: row.channel_id },
          `${row.id}${window}`,
        );
      }
      if (inbox.length || outbox.length)
        this.logger.log({ inbox: inbox.length, outbox: outbox.length }, 're-enqueued stale pipeline rows');
      return { inbox: inbox.length, outbox: outbox.length };
    } catch (error) {
      this.logger.warn({ err: error }, 'sweep failed');
      return { inbox: 0, outbox: 0 };
    } finally {
      this.sweeping = false;
    }
  }

  /** Runs as hawker_sweeper, which may read only unprocessed rows of every tenant. */
  private findStale() {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', 'hawker_sweeper', true)`);
      const inbox = await tx.query<{ id: string; tenant_id: string }[]>(
        `SELECT i.id, i.tenant_id FROM inbox_messages i JOIN tenants t ON t.id = i.tenant_id AND t.status = 'active'
          WHERE i.processed_at IS NULL AND i.received_at < now() - make_interval(secs => $1)
          ORDER BY i.id LIMIT $2`,
        [STALE_AFTER_SECONDS, BATCH],
      );
      const outbox = await tx.query<{ id: string; tenant_id: string; conversation_id: string; channel_id: string }[]>(
        `SELECT DISTINCT ON (tenant_id, conversation_id) id, tenant_id, conversation_id, channel_id FROM outbox_messages
          WHERE status = 'pending' AND next_attempt_at < now() - make_interval(secs => $1)
          ORDER BY tenant_id, conversation_id, id LIMIT $2`,
        [STALE_AFTER_SECONDS, BATCH],
      );
      return { inbox, outbox };
    });
  }
}
