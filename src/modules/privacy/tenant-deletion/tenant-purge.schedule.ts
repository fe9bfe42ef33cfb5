import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../../config/app-config.js';
import { enqueue } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';

export const PURGE_DELETED_TENANTS_JOB = 'purge-deleted-tenants';
// Redis may be away at boot; the schedule is registered as soon as it answers.
const REGISTER_RETRY_MS = 30_000;

/**
 * The purge's place on the maintenance schedule: a Bull repeatable job, so however many
 * workers run, each tick is taken by one of them. A changed interval replaces the old one.
 */
@Injectable()
export class TenantPurgeSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TenantPurgeSchedule.name);
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
        if (job.name === PURGE_DELETED_TENANTS_JOB && Number(job.every) !== every) {
          await this.queue.removeRepeatableByKey(job.key);
        }
      }
      const added = await enqueue(
        this.queue,
        PURGE_DELETED_TENANTS_JOB,
        {},
        { repeat: { every }, removeOnComplete: true, removeOnFail: 100 },
      );
      if (!added) throw new Error('Redis did not answer');
    } catch (error) {
      this.logger.warn({ err: error }, 'tenant purge schedule not registered yet; retrying');
      this.retry = setTimeout(() => void this.register(), REGISTER_RETRY_MS);
      this.retry.unref();
    }
  }
}
