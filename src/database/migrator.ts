import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { migrationDataSourceOptions } from './data-source-options.js';

// Any fixed number: it names the lock that keeps two processes from migrating at once.
const MIGRATION_LOCK_KEY = 7_212_004_001;

/** Applies pending migrations under an advisory lock; returns the names it applied. */
export async function applyMigrations(config: AppConfig): Promise<string[]> {
  const dataSource = new DataSource(migrationDataSourceOptions(config));
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
