import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { ENQUEUE_TIMEOUT_MS } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';

/** Process the customer's unprocessed inbox rows, starting from this one. Ids only. */
export interface InboundJob {
  tenantId: string;
  inboxId: string;
}

export const INBOUND_JOB = 'process';

interface BulkJob {
  name: string;
  data: InboundJob;
  opts: JobOptions;
}

@Injectable()
export class InboundQueue {
  private readonly logger = new Logger(InboundQueue.name);
  /** Jobs asked for in this turn of the event loop, added together at its end. */
  private pending?: { jobs: BulkJob[]; added: Promise<void> };

  constructor(@InjectQueue(Queues.inbound) private readonly queue: Queue<InboundJob>) {}

  /**
   * Enqueues, waiting at most a second: the rows are already durable, and the sweeper
   * re-enqueues whatever Redis did not take. Calls made in the same turn of the event loop
   * (the deliveries of one inbox batch) share one `addBulk`, one round trip to Redis.
   */
  enqueueAll(jobs: InboundJob[], jobIdSuffix = ''): Promise<void> {
    if (jobs.length === 0) return Promise.resolve();
    const pending = this.pending ?? this.startBulk();
    pending.jobs.push(...jobs.map((data) => bulkJob(data, jobIdSuffix)));
    return pending.added;
  }

  /**
   * The rows with a job Bull still holds — waiting, delayed or running — under any of the
   * given id suffixes ('' for the ingest's own job). A sweep must not queue those again:
   * under a backlog every row looks stale, and queueing each twice would double the work of
   * a worker that is already behind. A finished (failed for good) job does not count. When
   * Redis cannot say within the enqueue time-out, none counts.
   */
  async stillQueued(inboxIds: string[], jobIdSuffixes: string[]): Promise<Set<string>> {
    const lookUp = async () => {
      const queued = new Set<string>();
      for (const suffix of jobIdSuffixes) {
        const jobs = await Promise.all(inboxIds.map((id) => this.queue.getJob(`in:${id}${suffix}`)));
        inboxIds.forEach((id, i) => jobs[i] && !jobs[i].finishedOn && queued.add(id));
      }
      return queued;
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Set<string>>(
      (resolve) => (timer = setTimeout(() => resolve(new Set()), ENQUEUE_TIMEOUT_MS)),
    );
    try {
      return await Promise.race([lookUp().catch(() => new Set<string>()), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private startBulk(): { jobs: BulkJob[]; added: Promise<void> } {
    const jobs: BulkJob[] = [];
    const added = new Promise<void>((resolve) =>
      setImmediate(() => {
        this.pending = undefined;
        resolve(this.addWithin(jobs));
      }),
    );
    this.pending = { jobs, added };
    return this.pending;
  }

  private async addWithin(jobs: BulkJob[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    // A throw becomes a rejection: the callers' rows are committed, so nothing here may fail them.
    const adding = (async () => this.queue.addBulk(jobs))();
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), ENQUEUE_TIMEOUT_MS)),
    );
    try {
      if ((await Promise.race([adding.then(() => 'ok' as const), timeout])) === 'timeout')
        this.logger.warn({ count: jobs.length }, 'inbound enqueue timed out; the sweeper will pick the rows up');
    } catch (error) {
      this.logger.warn({ err: error, count: jobs.length }, 'inbound enqueue failed; the sweeper will pick the rows up');
    } finally {
      clearTimeout(timer);
      adding.catch(() => undefined);
    }
  }
}

function bulkJob(data: InboundJob, jobIdSuffix: string): BulkJob {
  return {
    name: INBOUND_JOB,
    data,
    opts: {
      jobId: `in:${data.inboxId}${jobIdSuffix}`,
      removeOnComplete: true,
      removeOnFail: 1000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    },
  };
}
