import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { PaymentsQueue } from './payments.queue.js';

// Younger rows are still on their way through the queue, retries included; leave them be.
const REQUESTS_STALE_AFTER_SECONDS = 120;
const EVENTS_STALE_AFTER_SECONDS = 120;
const BATCH = 200;

/**
 * Re-enqueues payment requests and Paystack events that no job finished: Redis was away
 * when they were stored, a job was lost, or Paystack stayed down past the job's retries.
 * A plain interval over Postgres, so it works exactly when Redis did not; handling is
 * idempotent, so several workers may sweep at once.
 */
@Injectable()
export class PaymentsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PaymentsSweeper.name);
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: PaymentsQueue,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.maintenance.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<{ requests: number; events: number }> {
    if (this.sweeping) return { requests: 0, events: 0 };
    this.sweeping = true;
    try {
      const { requests, events } = await this.findStale();
      // A fresh job id per sweep: a job that failed for good keeps its id in Bull.
      const suffix = `:sweep:${Date.now()}`;
      for (const row of requests) await this.queue.request({ tenantId: row.tenant_id, requestId: row.id }, suffix);
      for (const row of events) await this.queue.event({ tenantId: row.tenant_id, eventId: row.id }, suffix);
      if (requests.length || events.length) {
        this.logger.log({ requests: requests.length, events: events.length }, 're-enqueued stale payment work');
      }
      return { requests: requests.length, events: events.length };
    } catch (error) {
      this.logger.warn({ err: error }, 'payments sweep failed');
      return { requests: 0, events: 0 };
    } finally {
      this.sweeping = false;
    }
  }

  /** Runs as hawker_sweeper, which may read only the ids of unfinished rows of every tenant. */
  private findStale() {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', 'hawker_sweeper', true)`);
      const requests = await tx.query<{ id: string; tenant_id: string }[]>(
        `SELECT r.id, r.tenant_id FROM payment_requests r JOIN tenants t ON t.id = r.tenant_id AND t.status = 'active'
          WHERE r.processed_at IS NULL AND r.created_at < now() - make_interval(secs => $1)
          ORDER BY r.created_at LIMIT $2`,
        [REQUESTS_STALE_AFTER_SECONDS, BATCH],
      );
      const events = await tx.query<{ id: string; tenant_id: string }[]>(
        `SELECT e.id, e.tenant_id FROM payment_events e JOIN tenants t ON t.id = e.tenant_id AND t.status = 'active'
          WHERE e.status = 'pending' AND e.received_at < now() - make_interval(secs => $1)
          ORDER BY e.received_at LIMIT $2`,
        [EVENTS_STALE_AFTER_SECONDS, BATCH],
      );
      return { requests, events };
    });
  }
}
