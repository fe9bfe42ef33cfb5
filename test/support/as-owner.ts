import type { TestApp } from './test-app.js';

/**
 * Runs SQL as the database owner, past row-level security: for a test to set the scene
 * (move a clock back, read what no API shows), never for what it asserts through the API.
 */
export function asOwner<T = unknown>(t: TestApp, sql: string, params: unknown[] = []): Promise<T> {
  return t.dataSource.transaction(async (tx) => {
    await tx.query('SET LOCAL ROLE postgres');
    return tx.query<T>(sql, params);
  });
}
