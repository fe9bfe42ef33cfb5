import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Queues } from '../../../queues/queue-names.js';
import { PrivacyRequestRunner } from './privacy-request-runner.js';
import { PRIVACY_REQUEST_JOB, type PrivacyRequestJob } from './privacy.queue.js';

// Exports read whole businesses and compress them: a couple at a time per worker.
const CONCURRENCY = 2;

@Processor(Queues.privacy)
export class PrivacyRequestProcessor {
  private readonly logger = new Logger(PrivacyRequestProcessor.name);

  constructor(private readonly runner: PrivacyRequestRunner) {}

  @OnQueueFailed()
  failed(job: Job<PrivacyRequestJob>, error: Error): void {
    if (job.name !== PRIVACY_REQUEST_JOB) return;
    this.logger.warn(
      { err: error, jobId: job.id, tenantId: job.data.tenantId, requestId: job.data.requestId },
      'privacy request job failed',
    );
  }

  @Process({ name: PRIVACY_REQUEST_JOB, concurrency: CONCURRENCY })
  handle(job: Job<PrivacyRequestJob>): Promise<void> {
    return this.runner.run(job.data, async (percent) => {
      await job.progress(percent);
    });
  }
}
