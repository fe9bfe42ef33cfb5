import { getQueueToken } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { AppError } from '../../common/errors/app-error.js';
import { isQueueName, QUEUE_NAMES, QueueName } from '../../queues/queue-names.js';

const RECENT_FAILURES = 10;
const RETRY_BATCH = 1000;

export interface QueueReport {
  name: QueueName;
  counts: Record<'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'paused', number>;
  recentFailures: { id: string; name: string; reason: string; attempts: number; failedAt: string | null }[];
}

/** What operators see of the queues: counts per state and the latest failures. */
@Injectable()
export class QueueInspectorService {
  constructor(private readonly moduleRef: ModuleRef) {}

  async report(): Promise<QueueReport[]> {
    return Promise.all(QUEUE_NAMES.map((name) => this.reportOne(name)));
  }

  /** Puts failed jobs back to work; returns how many. */
  async retryFailed(name: string): Promise<{ queue: QueueName; retried: number }> {
    if (!isQueueName(name)) throw new AppError('not_found', 'not_found', 'Queue not found');
    const failed = await this.queue(name).getFailed(0, RETRY_BATCH - 1);
    const results = await Promise.allSettled(failed.map((job) => job.retry()));
    return { queue: name, retried: results.filter((r) => r.status === 'fulfilled').length };
  }

  private async reportOne(name: QueueName): Promise<QueueReport> {
    const queue = this.queue(name);
    const [counts, failures] = await Promise.all([queue.getJobCounts(), queue.getFailed(0, RECENT_FAILURES - 1)]);
    return {
      name,
      counts: { paused: 0, ...counts },
      recentFailures: failures.map((job) => ({
        id: String(job.id),
        name: job.name,
        reason: (job.failedReason ?? '').slice(0, 500),
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      })),
    };
  }

  private queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }
}
