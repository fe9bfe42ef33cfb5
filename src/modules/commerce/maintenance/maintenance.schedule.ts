import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../../config/app-config.js';
import { enqueue } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';

export const EXPIRE_CHECKOUTS_JOB = 'expire-checkouts';
// Redis may be away at boot; the schedule is registered as soon as it answers.
const REGISTER_RETRY_MS = 30_000;

/**
 * The maintenance schedule: a Bull repeatable job, so however many workers run, each tick
 * is taken by one of them. Registered at boot; a changed interval replaces the old one.
 */
@Injectable()
export class MaintenanceSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceSchedule.name);
  private retry?: NodeJS.Timeout;

  constructor(
    @InjectQueue(Queues.maintenance) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.register();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async register(): Promise<void> {
    const every = this.config.maintenance.intervalMs;
    try {
      for (const job of await this.queue.getRepeatableJobs()) {
        if (job.name === EXPIRE_CHECKOUTS_JOB && Number(job.every) !== every) {
          await this.queue.removeRepeatableByKey(job.key);
        }
      }
      const added = await enqueue(
        this.queue,
        EXPIRE_CHECKOUTS_JOB,
        {},
        {
          repeat: { every },
          removeOnComplete: true,
          removeOnFail: 100,
        },
      );
      if (!added) throw new Error('Redis did not answer');
    } catch (error) {
      this.logger.warn({ err: error }, 'maintenance schedule not registered yet; retrying');
      this.retry = setTimeout(() => void this.register(), REGISTER_RETRY_MS);
      this.retry.unref();
    }
  }
}
