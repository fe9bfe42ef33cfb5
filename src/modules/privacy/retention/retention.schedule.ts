import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { MaintenanceSchedule } from '../../../queues/maintenance-schedule.js';
import { Queues } from '../../../queues/queue-names.js';

export const PRIVACY_RETENTION_JOB = 'privacy-retention';
/**
 * Hourly: retention is counted in days and export links in hours, and each run visits
 * every business, so the commerce schedule's minute would be wasted work.
 */
export const PRIVACY_RETENTION_INTERVAL_MS = 60 * 60 * 1000;
/**
 * Privacy's job on the `maintenance` queue (its own name beside commerce's checkout expiry):
 * purges expired export archives and enforces message retention.
 */
@Injectable()
export class RetentionSchedule extends MaintenanceSchedule {
  protected readonly jobName = PRIVACY_RETENTION_JOB;
  protected readonly everyMs = PRIVACY_RETENTION_INTERVAL_MS;

  constructor(@InjectQueue(Queues.maintenance) queue: Queue) {
    super(queue);
  }
}
