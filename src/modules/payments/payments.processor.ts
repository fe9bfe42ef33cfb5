import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Queues } from '../../queues/queue-names.js';
import { PaymentNotFinal } from './events/event-retry-policy.js';
import { PaymentEventApplier } from './events/payment-event-applier.js';
import {
  isFinalAttempt,
  PAYMENT_EVENT_JOB,
  PAYMENT_REQUEST_JOB,
  type PaymentEventJob,
  type PaymentRequestJob,
} from './payments.queue.js';
import { PaymentLinksService } from './requests/payment-links.service.js';

// Each job waits on Paystack for at most a few seconds; orders are independent.
const CONCURRENCY = 8;

@Processor(Queues.payments)
export class PaymentsProcessor {
  private readonly logger = new Logger(PaymentsProcessor.name);

  constructor(
    private readonly links: PaymentLinksService,
    private readonly events: PaymentEventApplier,
  ) {}

  @OnQueueFailed()
  failed(job: Job<PaymentRequestJob | PaymentEventJob>, error: Error): void {
    const context = { job: job.name, jobId: job.id, tenantId: job.data.tenantId, attempts: job.attemptsMade };
    // A payment Paystack still calls "processing" is expected to take a while: not a fault.
    if (error instanceof PaymentNotFinal) {
      this.logger.log({ ...context, status: error.status }, 'payment not final yet');
    } else {
      this.logger.warn({ err: error, ...context }, 'payments job failed');
    }
  }

  @Process({ name: PAYMENT_REQUEST_JOB, concurrency: CONCURRENCY })
  request(job: Job<PaymentRequestJob>): Promise<void> {
    return this.links.send(job.data, isFinalAttempt(job));
  }

  @Process({ name: PAYMENT_EVENT_JOB, concurrency: CONCURRENCY })
  event(job: Job<PaymentEventJob>): Promise<void> {
    return this.events.apply(job.data);
  }
}
