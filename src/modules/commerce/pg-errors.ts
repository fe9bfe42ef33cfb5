import { QueryFailedError } from 'typeorm';

/** True when `error` is Postgres refusing a statement with `sqlState` on `constraint`. */
export function isConstraintViolation(error: unknown, sqlState: '23503' | '23505', constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const cause = error.driverError as { code?: unknown; constraint?: unknown };
  return cause.code === sqlState && (constraint === undefined || cause.constraint === constraint);
}
