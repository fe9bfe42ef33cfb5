import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Queues } from '../../../queues/queue-names.js';
import { OUTBOUND_JOB, type OutboundJob } from '../outbox/outbound.queue.js';
import { DeliveryService } from './delivery.service.js';
import { INBOUND_JOB, type InboundJob } from './inbound.queue.js';
import { InboundPipeline } from './inbound-pipeline.service.js';

// Conversations are independent, so several run at once; order within one is kept by
// the advisory lock (inbound) and the outbox lease (outbound), not by the queue.
const INBOUND_CONCURRENCY = 16;
const OUTBOUND_CONCURRENCY = 32;

@Processor(Queues.inbound)
export class InboundProcessor {
  private readonly logger = new Logger(InboundProcessor.name);

  constructor(private readonly pipeline: InboundPipeline) {}

  @OnQueueFailed()
  failed(job: Job<InboundJob>, error: Error): void {
    this.logger.error(
      { err: error, jobId: job.id, tenantId: job.data.tenantId, attempts: job.attemptsMade },
      'inbound job failed',
    );
  }

  @Process({ name: INBOUND_JOB, concurrency: INBOUND_CONCURRENCY })
  handle(job: Job<InboundJob>): Promise<void> {
    return this.pipeline.process(job.data);
  }
}

@Processor(Queues.outbound)
export class OutboundProcessor {
  private readonly logger = new Logger(OutboundProcessor.name);

  constructor(private readonly delivery: DeliveryService) {}

  @OnQueueFailed()
  failed(job: Job<OutboundJob>, error: Error): void {
    this.logger.error(
      { err: error, jobId: job.id, tenantId: job.data.tenantId, attempts: job.attemptsMade },
      'outbound job failed',
    );
  }

  @Process({ name: OUTBOUND_JOB, concurrency: OUTBOUND_CONCURRENCY })
  handle(job: Job<OutboundJob>): Promise<void> {
    return this.delivery.deliverNext(job.data);
  }
}
