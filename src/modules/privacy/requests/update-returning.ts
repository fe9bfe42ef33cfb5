import type { EntityManager } from 'typeorm';

/** The rows an `UPDATE … RETURNING` wrote: TypeORM answers an UPDATE with `[rows, count]`. */
export async function updateReturning<T>(tx: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = await tx.query<[T[], number]>(sql, params);
  return rows;
}
