import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { enqueue } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';
import { CUSTOMER_NOTIFICATION_JOB, type CustomerNotificationJob } from './customer-notification.job.js';

// A failed delivery job (the database was away, or a notification failed and was counted
// on its row) retries after 5 s, 10 s, 20 s, 40 s; past that the sweeper finds the rows
// still pending. A notification is given up after as many failures (MAX_DELIVERY_ATTEMPTS).
const ATTEMPTS = 5;
const RETRY_BASE_MS = 5_000;

@Injectable()
export class CustomerNotificationQueue {
  constructor(@InjectQueue(Queues.notifications) private readonly queue: Queue<CustomerNotificationJob>) {}

  /**
   * `key` names what the job is for (a new notification, a sweep), so a repeated enqueue
   * is a no-op while the job exists; the processor always drains the whole order, so a
   * job is never specific to one row. Resolves false when Redis did not answer.
   */
  async enqueue(job: CustomerNotificationJob, key: string): Promise<boolean> {
    const added = await enqueue(this.queue, CUSTOMER_NOTIFICATION_JOB, job, {
      jobId: `customer-notification:${job.orderId}:${key}`,
      attempts: ATTEMPTS,
      backoff: { type: 'exponential', delay: RETRY_BASE_MS },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    return added !== undefined;
  }
}
