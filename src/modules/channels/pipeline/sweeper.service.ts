import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { asSweeper, PeriodicSweep } from '../../../database/periodic-sweep.js';
import { OutboundQueue } from '../outbox/outbound.queue.js';
import { InboundQueue } from './inbound.queue.js';

export const SWEEP_INTERVAL_MS = 5_000;
// Younger rows are still on their way through the queue; leave them be.
const STALE_AFTER_SECONDS = 10;
const BATCH = 500;
const RESWEEP_WINDOW_MS = 30_000;

/**
 * Re-enqueues inbox and outbox rows that no job will pick up — Redis was away when they
 * were stored, or a job was lost (job ids and the handlers' own checks make it idempotent).
 * Inbox rows whose job is still queued are left alone: they are late, not lost.
 */
@Injectable()
export class SweeperService extends PeriodicSweep<{ inbox: number; outbox: number }> {
  protected readonly intervalMs = SWEEP_INTERVAL_MS;
  protected readonly nothing = { inbox: 0, outbox: 0 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly inbound: InboundQueue,
    private readonly outbound: OutboundQueue,
  ) {
    super();
  }

  protected async pass(): Promise<{ inbox: number; outbox: number }> {
    const { inbox: stale, outbox } = await this.findStale();
    // A fresh job id per sweep window: Bull ignores an id it still holds, and a job that
    // failed for good keeps its id, so re-using it would never retry the row.
    const windowOf = (at: number) => `:sweep:${Math.floor(at / RESWEEP_WINDOW_MS)}`;
    const window = windowOf(Date.now());
    const queued = await this.inbound.stillQueued(
      stale.map((row) => row.id),
      ['', window, windowOf(Date.now() - RESWEEP_WINDOW_MS)],
    );
    const inbox = stale.filter((row) => !queued.has(row.id));
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
  }

  /** Runs as hawker_sweeper, which may read only unprocessed rows of every tenant. */
  private findStale() {
    return asSweeper(this.dataSource, async (tx) => {
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
