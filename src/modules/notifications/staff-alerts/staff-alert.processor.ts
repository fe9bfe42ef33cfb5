import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Queues } from '../../../queues/queue-names.js';
import { STAFF_ALERT_JOB, type StaffAlertJob } from './staff-alert.job.js';
import { StaffAlertsService } from './staff-alerts.service.js';

// Alerts are few and each waits on a mail server: a handful at once is plenty.
const CONCURRENCY = 4;

@Processor(Queues.notifications)
export class StaffAlertProcessor {
  private readonly logger = new Logger(StaffAlertProcessor.name);

  constructor(private readonly alerts: StaffAlertsService) {}

  @OnQueueFailed()
  failed(job: Job<StaffAlertJob>, error: Error): void {
    if (job.name !== STAFF_ALERT_JOB) return;
    this.logger.error(
      { err: error, jobId: job.id, tenantId: job.data.tenantId, attempts: job.attemptsMade },
      'staff alert job failed',
    );
  }

  @Process({ name: STAFF_ALERT_JOB, concurrency: CONCURRENCY })
  handle(job: Job<StaffAlertJob>): Promise<void> {
    return this.alerts.send(job.data);
  }
}
