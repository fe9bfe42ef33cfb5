import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { enqueue } from '../../queues/enqueue.js';
import { Queues } from '../../queues/queue-names.js';

/** Send the customer of a payment request a way to pay. */
export interface PaymentRequestJob {
  tenantId: string;
  requestId: string;
}

/** Apply a stored provider event (a Paystack webhook) to the ledger. */
export interface PaymentEventJob {
  tenantId: string;
  eventId: string;
}

export const PAYMENT_REQUEST_JOB = 'payment_request';
export const PAYMENT_EVENT_JOB = 'payment_event';

// Paystack outages are usually short: 2 s, 4 s, 8 s, 16 s, 32 s, then the sweeper.
export const PAYMENT_JOB_ATTEMPTS = 6;
const RETRY_BASE_MS = 2_000;

const OPTIONS: JobOptions = {
  attempts: PAYMENT_JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: RETRY_BASE_MS },
  removeOnComplete: true,
  removeOnFail: 1000,
};

/**
 * Producer side of the `payments` queue. Rows are durable in Postgres first; a job only
 * says "look at this row", so a lost or repeated job is harmless (the sweeper re-sends).
 */
@Injectable()
export class PaymentsQueue {
  constructor(@InjectQueue(Queues.payments) private readonly queue: Queue<PaymentRequestJob | PaymentEventJob>) {}

  /** `suffix` gives a sweeper's re-send its own job id: Bull ignores an id it still holds. */
  async request(job: PaymentRequestJob, suffix = ''): Promise<void> {
    await enqueue(this.queue, PAYMENT_REQUEST_JOB, job, { ...OPTIONS, jobId: `pay-request:${job.requestId}${suffix}` });
  }

  async event(job: PaymentEventJob, suffix = ''): Promise<void> {
    await enqueue(this.queue, PAYMENT_EVENT_JOB, job, { ...OPTIONS, jobId: `pay-event:${job.eventId}${suffix}` });
  }
}

/** Whether this run of a job is its last: then a transient failure is handled, not retried. */
export function isFinalAttempt(job: { attemptsMade: number; opts: { attempts?: number } }): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
