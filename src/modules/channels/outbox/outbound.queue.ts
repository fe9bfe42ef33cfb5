import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { enqueue } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';

/** Delivers one conversation's pending outbox, oldest first. Carries ids only. */
export interface OutboundJob {
  tenantId: string;
  conversationId: string;
  channelId: string;
}

export const OUTBOUND_JOB = 'deliver';

@Injectable()
export class OutboundQueue {
  constructor(@InjectQueue(Queues.outbound) private readonly queue: Queue<OutboundJob>) {}

  /**
   * `key` names what the job is for (an outbox row, a retry, a wait), so a replayed
   * enqueue is a no-op while queued; the processor always sends the conversation's
   * oldest pending row, whatever the job.
   */
  async enqueue(job: OutboundJob, key: string, delayMs = 0): Promise<void> {
    await enqueue(this.queue, OUTBOUND_JOB, job, {
      jobId: `out:${key}`,
      delay: delayMs,
      removeOnComplete: true,
      removeOnFail: 1000,
    });
  }
}
