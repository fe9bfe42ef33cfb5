import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { ENQUEUE_TIMEOUT_MS } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';

/** Process the customer's unprocessed inbox rows, starting from this one. Ids only. */
export interface InboundJob {
  tenantId: string;
  inboxId: string;
}

export const INBOUND_JOB = 'process';

@Injectable()
export class InboundQueue {
  private readonly logger = new Logger(InboundQueue.name);

  constructor(@InjectQueue(Queues.inbound) private readonly queue: Queue<InboundJob>) {}

  /**
   * Enqueues in one round trip, waiting at most a second: the rows are already durable,
   * and the sweeper re-enqueues whatever Redis did not take.
   */
  async enqueueAll(jobs: InboundJob[], jobIdSuffix = ''): Promise<void> {
    if (jobs.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const adding = this.queue.addBulk(
      jobs.map((data) => ({
        name: INBOUND_JOB,
        data,
        opts: {
          jobId: `in:${data.inboxId}${jobIdSuffix}`,
          removeOnComplete: true,
          removeOnFail: 1000,
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
        },
      })),
    );
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
