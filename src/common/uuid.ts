import { Errors } from './errors/app-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A malformed id cannot name anything a caller may see: answer as for a missing one. */
export function assertUuid(value: unknown, what = 'Resource'): asserts value is string {
  if (!isUuid(value)) throw Errors.notFound(what);
}
