import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { SWEEPER_DB_ROLE } from './db-roles.js';

/**
 * Runs `work` in a transaction as `hawker_sweeper`, which sees across tenants only the few
 * columns and rows its own policies allow: the work left behind, never the data.
 */
export function asSweeper<T>(dataSource: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (tx) => {
    await tx.query(`SELECT set_config('role', $1, true)`, [SWEEPER_DB_ROLE]);
    return work(tx);
  });
}

/**
 * A sweep that re-enqueues work no job will pick up (Redis was away, a job was lost). A
 * plain interval over Postgres, not a Bull repeatable job, so it works exactly when Redis
 * did not; a pass never overlaps the one before, and a failed pass is logged and retried
 * at the next tick. Enqueuing is idempotent, so several workers may sweep at once.
 */
export abstract class PeriodicSweep<Result> implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  /** Milliseconds between passes. */
  protected abstract readonly intervalMs: number;
  /** What a pass that did nothing (or failed, or overlapped) returns. */
  protected abstract readonly nothing: Result;
  /** One pass: find what was left behind and enqueue it. */
  protected abstract pass(): Promise<Result>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<Result> {
    if (this.sweeping) return this.nothing;
    this.sweeping = true;
    try {
      return await this.pass();
    } catch (error) {
      this.logger.warn({ err: error }, 'sweep failed');
      return this.nothing;
    } finally {
      this.sweeping = false;
    }
  }
}
