import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../../config/app-config.js';
import { MaintenanceSchedule } from '../../../queues/maintenance-schedule.js';
import { Queues } from '../../../queues/queue-names.js';

export const EXPIRE_CHECKOUTS_JOB = 'expire-checkouts';

/** Unpaid checkouts past their expiry are looked for every `MAINTENANCE_INTERVAL_MS`. */
@Injectable()
export class ExpireCheckoutsSchedule extends MaintenanceSchedule {
  protected readonly jobName = EXPIRE_CHECKOUTS_JOB;
  protected readonly everyMs: number;

  constructor(@InjectQueue(Queues.maintenance) queue: Queue, config: AppConfig) {
    super(queue);
    this.everyMs = config.maintenance.intervalMs;
  }
}
