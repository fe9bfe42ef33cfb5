import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Queues } from '../../../queues/queue-names.js';
import { StaffNoticeSender } from './staff-notice-sender.service.js';
import { STAFF_NOTICE_JOB, type StaffNoticeJob } from './staff-notice.job.js';

// Notices are few and each waits on a mail server.
const CONCURRENCY = 4;

@Processor(Queues.notifications)
export class StaffNoticeProcessor {
  private readonly logger = new Logger(StaffNoticeProcessor.name);

  constructor(private readonly sender: StaffNoticeSender) {}

  @OnQueueFailed()
  failed(job: Job<StaffNoticeJob>, error: Error): void {
    if (job.name !== STAFF_NOTICE_JOB) return;
    this.logger.error(
      { err: error, jobId: job.id, tenantId: job.data.tenantId, kind: job.data.kind, attempts: job.attemptsMade },
      'staff notice job failed',
    );
  }

  @Process({ name: STAFF_NOTICE_JOB, concurrency: CONCURRENCY })
  handle(job: Job<StaffNoticeJob>): Promise<void> {
    return this.sender.send(job.data);
  }
}
