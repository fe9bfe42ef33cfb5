import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { enqueue } from './enqueue.js';

// Redis may be away at boot; the schedule is registered as soon as it answers.
const REGISTER_RETRY_MS = 30_000;

/**
 * One job's place on the `maintenance` queue's schedule: a Bull repeatable job, so however
 * many workers run, each tick is taken by one of them. Registered at boot (retried until
 * Redis answers); a changed interval replaces the old repetition.
 */
export abstract class MaintenanceSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private retry?: NodeJS.Timeout;

  /** The job's name on the maintenance queue, which its processor handles. */
  protected abstract readonly jobName: string;
  /** Milliseconds between runs. */
  protected abstract readonly everyMs: number;

  constructor(private readonly queue: Queue) {}

  onApplicationBootstrap(): void {
    void this.register();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async register(): Promise<void> {
    try {
      for (const job of await this.queue.getRepeatableJobs()) {
        if (job.name === this.jobName && Number(job.every) !== this.everyMs) {
          await this.queue.removeRepeatableByKey(job.key);
        }
      }
      const added = await enqueue(
        this.queue,
        this.jobName,
        {},
        { repeat: { every: this.everyMs }, removeOnComplete: true, removeOnFail: 100 },
      );
      if (!added) throw new Error('Redis did not answer');
    } catch (error) {
      this.logger.warn({ err: error, job: this.jobName }, 'maintenance job not scheduled yet; retrying');
      this.retry = setTimeout(() => void this.register(), REGISTER_RETRY_MS);
      this.retry.unref();
    }
  }
}
