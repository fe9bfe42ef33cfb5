import { Injectable, Logger } from '@nestjs/common';
import pg from 'pg';
import { DataSource, EntityManager, type QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from './db-roles.js';
import { assertUuid } from '../common/uuid.js';

export interface TenantScope {
  tenantId: string;
}

/** One SQL statement to run with a tenant pinned; its values inlined with `sqlLiteral`. */
export interface TenantStatement {
  tenantId: string;
  sql: string;
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
 * A string as an SQL literal, for statements sent with the simple protocol, which takes no
 * parameters. Quotes and backslashes are escaped whatever `standard_conforming_strings` says;
 * NUL is refused because the protocol would cut the statement short at it.
 */
export function sqlLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('An SQL literal cannot hold NUL');
  return pg.escapeLiteral(value);
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
    // Opening and pinning cost one round trip, not three: on this path round trips dominate.
    const begin = `START TRANSACTION; ${pinTenant(scope.tenantId)}`;
    const tasks: AfterCommitTask[] = [];
    const runner = this.dataSource.createQueryRunner();
    let result: T;
    try {
      adoptTransaction(runner);
      await runner.query(begin);
      afterCommitTasks.set(runner.manager, tasks);
      result = await work(runner.manager);
      await runner.commitTransaction();
    } catch (error) {
      // The caller needs the original error; a broken connection is dropped by the pool on release.
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    for (const task of tasks) {
      try {
        await task();
      } catch (error) {
        this.logger.warn({ err: error, tenantId: scope.tenantId }, 'after-commit task failed');
      }
    }
    return result;
  }

  /**
   * Runs statements of several tenants in one transaction and one round trip, each with its
   * own tenant pinned just before it, and returns each statement's rows. For hot paths that
   * write many small things at once (the inbox); everything else uses `run`. Each `sql` must
   * be exactly one statement, and must not change the pinned settings.
   */
  async runStatements<Row>(statements: TenantStatement[]): Promise<Row[][]> {
    if (statements.length === 0) return [];
    const script = [
      'START TRANSACTION',
      ...statements.flatMap((statement) => [pinTenant(statement.tenantId), statement.sql]),
      'COMMIT',
    ].join(';\n');
    const runner = this.dataSource.createQueryRunner();
    try {
      // TypeORM keeps only the last result of a multi-statement query; the driver keeps them all.
      const client = (await runner.connect()) as pg.PoolClient;
      let results: pg.QueryResult[];
      try {
        results = (await client.query(script)) as unknown as pg.QueryResult[];
      } catch (error) {
        // An error leaves the transaction open and aborted: the rest of the script was skipped.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      // START TRANSACTION, then a pin and a statement each, then COMMIT.
      if (results.length !== 2 * statements.length + 2) throw new Error('runStatements takes one statement each');
      return statements.map((_, i) => results[2 + 2 * i].rows as Row[]);
    } finally {
      await runner.release();
    }
  }
}

/** Pins the tenant and the application role until the transaction ends. */
function pinTenant(tenantId: string): string {
  assertUuid(tenantId);
  const tenant = sqlLiteral(tenantId);
  return `SELECT set_config('app.tenant_id', ${tenant}, true), set_config('role', ${sqlLiteral(APP_DB_ROLE)}, true)`;
}

/**
 * Tells TypeORM that `runner` is inside a transaction we open ourselves (in the same round
 * trip as the pin), so that its commit and rollback work, nested `transaction()` calls use
 * savepoints and repositories do not open transactions of their own — as after its own
 * `startTransaction`. The fields are TypeORM's; check them so an upgrade fails loudly.
 */
function adoptTransaction(runner: QueryRunner): void {
  const state = runner as unknown as { isTransactionActive: unknown; transactionDepth: unknown };
  if (state.isTransactionActive !== false || state.transactionDepth !== 0) {
    throw new Error('TypeORM query runner no longer tracks transactions as TenantDb expects');
  }
  state.isTransactionActive = true;
  state.transactionDepth = 1;
}
