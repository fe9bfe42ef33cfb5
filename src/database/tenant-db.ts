import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_DB_ROLE } from './db-roles.js';
import { assertUuid } from '../common/uuid.js';

export interface TenantScope {
  tenantId: string;
}

type AfterCommitTask = () => Promise<unknown>;

// The tasks each open TenantDb transaction will run once it has committed.
const afterCommitTasks = new WeakMap<EntityManager, AfterCommitTask[]>();

/**
 * Runs `task` once the tenant transaction `tx` has committed, and never if it rolls back:
 * the place to enqueue a job for rows the transaction wrote. A task that fails is logged
 * and dropped — what it would have kicked off must be durable in Postgres and swept.
 */
export function afterCommit(tx: EntityManager, task: AfterCommitTask): void {
  const tasks = afterCommitTasks.get(tx);
  if (!tasks) throw new Error('afterCommit needs a transaction opened by TenantDb.run');
  tasks.push(task);
}

/**
 * Runs `work` inside a savepoint of `tx`. When it throws, its writes are rolled back to
 * the savepoint and so are the after-commit tasks it registered — a job for a row that was
 * never written must not be enqueued — and the error is rethrown.
 */
export async function withSavepoint<T>(tx: EntityManager, name: string, work: () => Promise<T>): Promise<T> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`Not a savepoint name: ${name}`);
  const tasks = afterCommitTasks.get(tx);
  const registered = tasks?.length ?? 0;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    tasks?.splice(registered);
    throw error;
  }
}

/**
 * The only door to tenant tables. Each call is one short transaction that first pins
 * `app.tenant_id` and the application role (both transaction-local), so row-level
 * security holds even if the pool connects as an owner. Keep provider calls outside it.
 */
@Injectable()
export class TenantDb {
  private readonly logger = new Logger(TenantDb.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(scope: TenantScope, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    assertUuid(scope.tenantId);
    const tasks: AfterCommitTask[] = [];
    const result = await this.dataSource.transaction(async (tx) => {
      afterCommitTasks.set(tx, tasks);
      await tx.query(`select set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [
        scope.tenantId,
        APP_DB_ROLE,
      ]);
      return work(tx);
    });
    for (const task of tasks) {
      try {
        await task();
      } catch (error) {
        this.logger.warn({ err: error, tenantId: scope.tenantId }, 'after-commit task failed');
      }
    }
    return result;
  }
}
