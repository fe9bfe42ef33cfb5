import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../../config/app-config.js';
import { MaintenanceSchedule } from '../../../queues/maintenance-schedule.js';
import { Queues } from '../../../queues/queue-names.js';

export const PURGE_DELETED_TENANTS_JOB = 'purge-deleted-tenants';

/** Businesses past their deletion grace period are purged every `MAINTENANCE_INTERVAL_MS`. */
@Injectable()
export class TenantPurgeSchedule extends MaintenanceSchedule {
  protected readonly jobName = PURGE_DELETED_TENANTS_JOB;
  protected readonly everyMs: number;

  constructor(@InjectQueue(Queues.maintenance) queue: Queue, config: AppConfig) {
    super(queue);
    this.everyMs = config.maintenance.intervalMs;
  }
}
