import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Queues } from '../../../queues/queue-names.js';
import { CustomerNotificationDelivery } from './customer-notification-delivery.service.js';
import { CUSTOMER_NOTIFICATION_JOB, type CustomerNotificationJob } from './customer-notification.job.js';

// Each job is one short transaction; orders are independent of each other.
const CONCURRENCY = 8;

@Processor(Queues.notifications)
export class CustomerNotificationProcessor {
  private readonly logger = new Logger(CustomerNotificationProcessor.name);

  constructor(private readonly delivery: CustomerNotificationDelivery) {}

  @OnQueueFailed()
  failed(job: Job<CustomerNotificationJob>, error: Error): void {
    if (job.name !== CUSTOMER_NOTIFICATION_JOB) return;
    this.logger.error(
      { err: error, jobId: job.id, tenantId: job.data.tenantId, orderId: job.data.orderId, attempts: job.attemptsMade },
      'customer notification job failed',
    );
  }

  @Process({ name: CUSTOMER_NOTIFICATION_JOB, concurrency: CONCURRENCY })
  handle(job: Job<CustomerNotificationJob>): Promise<void> {
    return this.delivery.deliver(job.data);
  }
}
