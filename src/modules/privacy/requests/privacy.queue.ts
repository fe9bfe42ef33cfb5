import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { enqueue } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';

/** Run (or re-run) one privacy request: an export or an erasure. */
export interface PrivacyRequestJob {
  tenantId: string;
  requestId: string;
}

export const PRIVACY_REQUEST_JOB = 'privacy_request';

const OPTIONS: JobOptions = {
  // A failed run puts its request back in the queue; the request's own attempt count
  // (in Postgres) decides when it has failed for good.
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: true,
  removeOnFail: 1000,
};

/**
 * Producer side of the `privacy` queue. The request row is durable first; a job only says
 * "look at this request", so a lost or repeated job is harmless (the sweeper re-sends).
 */
@Injectable()
export class PrivacyQueue {
  constructor(@InjectQueue(Queues.privacy) private readonly queue: Queue<PrivacyRequestJob>) {}

  /** `suffix` gives a sweeper's re-send its own job id: Bull ignores an id it still holds. */
  async request(job: PrivacyRequestJob, suffix = ''): Promise<void> {
    await enqueue(this.queue, PRIVACY_REQUEST_JOB, job, { ...OPTIONS, jobId: `privacy:${job.requestId}${suffix}` });
  }
}
