import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { asSweeper, PeriodicSweep } from '../../database/periodic-sweep.js';
import { PaymentsQueue } from './payments.queue.js';

// A job's retries span about a minute, plus up to six 10 s Paystack timeouts. A row
// touched more recently than this may still have a job working on it: a second job would
// create a second Paystack link for one request, so wait well past that.
const STALE_AFTER_SECONDS = 5 * 60;
const BATCH = 200;

/**
 * Re-enqueues unfinished payment work no job is on any more: a request or event stored
 * while Redis was away, a lost job, a request still waiting for Paystack to come back (for
 * up to `PAYSTACK_OUTAGE_PATIENCE_MS`), or an event whose payment Paystack still calls
 * "processing", or that keeps failing (for up to a day or `EVENT_MAX_FAILURES` errors, then
 * settled as failed). It only enqueues; the job decides.
 */
@Injectable()
export class PaymentsSweeper extends PeriodicSweep<{ requests: number; events: number }> {
  protected readonly intervalMs: number;
  protected readonly nothing = { requests: 0, events: 0 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: PaymentsQueue,
    config: AppConfig,
  ) {
    super();
    this.intervalMs = config.maintenance.intervalMs;
  }

  protected async pass(): Promise<{ requests: number; events: number }> {
    const { requests, events } = await this.findStale();
    // A fresh job id per sweep: a job that failed for good keeps its id in Bull.
    const suffix = `:sweep:${Date.now()}`;
    for (const row of requests) await this.queue.request({ tenantId: row.tenant_id, requestId: row.id }, suffix);
    for (const row of events) await this.queue.event({ tenantId: row.tenant_id, eventId: row.id }, suffix);
    if (requests.length || events.length) {
      this.logger.log({ requests: requests.length, events: events.length }, 're-enqueued stale payment work');
    }
    return { requests: requests.length, events: events.length };
  }

  /** Runs as hawker_sweeper, which may read only the ids of unfinished rows of every tenant. */
  private findStale() {
    return asSweeper(this.dataSource, async (tx) => {
      const requests = await tx.query<{ id: string; tenant_id: string }[]>(
        `SELECT r.id, r.tenant_id FROM payment_requests r JOIN tenants t ON t.id = r.tenant_id AND t.status = 'active'
          WHERE r.processed_at IS NULL AND coalesce(r.attempted_at, r.created_at) < now() - make_interval(secs => $1)
          ORDER BY r.created_at LIMIT $2`,
        [STALE_AFTER_SECONDS, BATCH],
      );
      const events = await tx.query<{ id: string; tenant_id: string }[]>(
        `SELECT e.id, e.tenant_id FROM payment_events e JOIN tenants t ON t.id = e.tenant_id AND t.status = 'active'
          WHERE e.status = 'pending' AND coalesce(e.attempted_at, e.received_at) < now() - make_interval(secs => $1)
          ORDER BY e.received_at LIMIT $2`,
        [STALE_AFTER_SECONDS, BATCH],
      );
      return { requests, events };
    });
  }
}
