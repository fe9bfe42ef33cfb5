import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { asSweeper, PeriodicSweep } from '../../../database/periodic-sweep.js';
import { PrivacyQueue } from './privacy.queue.js';
import { STALE_AFTER_SECONDS } from './request-claims.js';

export const PRIVACY_SWEEP_INTERVAL_MS = 15_000;
// A queued request younger than this is still on its way through the queue.
const QUEUED_GRACE_SECONDS = 30;
const BATCH = 200;

/**
 * Re-enqueues privacy requests no job is working on: queued while Redis was away, or left
 * running by a worker that died (no heartbeat for STALE_AFTER_SECONDS). Bull's stalled-job
 * check re-runs a dead worker's job too; this covers a job Bull has lost. It only
 * enqueues: a duplicate job finds the request claimed and does nothing.
 */
@Injectable()
export class PrivacyRequestSweeper extends PeriodicSweep<number> {
  protected readonly intervalMs = PRIVACY_SWEEP_INTERVAL_MS;
  protected readonly nothing = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: PrivacyQueue,
  ) {
    super();
  }

  protected async pass(): Promise<number> {
    const stale = await this.findStale();
    // A fresh job id per sweep: a job that failed for good keeps its id in Bull.
    const suffix = `:sweep:${Date.now()}`;
    for (const row of stale) await this.queue.request({ tenantId: row.tenantId, requestId: row.id }, suffix);
    if (stale.length) this.logger.log({ requests: stale.length }, 're-enqueued privacy requests');
    return stale.length;
  }

  /** As hawker_sweeper, which sees only unfinished requests' ids and state. */
  private findStale() {
    return asSweeper(this.dataSource, (tx) =>
      tx.query<{ id: string; tenantId: string }[]>(
        `SELECT id, tenant_id AS "tenantId" FROM privacy_requests
          WHERE (status = 'queued' AND updated_at < now() - make_interval(secs => $1))
             OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $2))
          ORDER BY updated_at LIMIT $3`,
        [QUEUED_GRACE_SECONDS, STALE_AFTER_SECONDS, BATCH],
      ),
    );
  }
}
