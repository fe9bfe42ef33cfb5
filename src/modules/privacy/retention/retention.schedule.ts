import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { enqueue } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';

export const PRIVACY_RETENTION_JOB = 'privacy-retention';
/**
 * Hourly: retention is counted in days and export links in hours, and each run visits
 * every business, so the commerce schedule's minute would be wasted work.
 */
export const PRIVACY_RETENTION_INTERVAL_MS = 60 * 60 * 1000;
// Redis may be away at boot; the schedule is registered as soon as it answers.
const REGISTER_RETRY_MS = 30_000;

/**
 * Privacy's repeatable job on the `maintenance` queue (its own job name beside commerce's
 * checkout expiry): purges expired export archives and enforces message retention. A Bull
 * repeatable job, so however many workers run, each tick is taken by one of them.
 */
@Injectable()
export class RetentionSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionSchedule.name);
  private retry?: NodeJS.Timeout;

  constructor(@InjectQueue(Queues.maintenance) private readonly queue: Queue) {}

  onApplicationBootstrap(): void {
    void this.register();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async register(): Promise<void> {
    const every = PRIVACY_RETENTION_INTERVAL_MS;
    try {
      for (const job of await this.queue.getRepeatableJobs()) {
        if (job.name === PRIVACY_RETENTION_JOB && Number(job.every) !== every) {
          await this.queue.removeRepeatableByKey(job.key);
        }
      }
      const added = await enqueue(
        this.queue,
        PRIVACY_RETENTION_JOB,
        {},
        { repeat: { every }, removeOnComplete: true, removeOnFail: 100 },
      );
      if (!added) throw new Error('Redis did not answer');
    } catch (error) {
      this.logger.warn({ err: error }, 'privacy retention schedule not registered yet; retrying');
      this.retry = setTimeout(() => void this.register(), REGISTER_RETRY_MS);
      this.retry.unref();
    }
  }
}
