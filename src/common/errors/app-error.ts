/**
 * How an error should be answered. Every domain error picks one; the HTTP filter maps
 * each to a status with an exhaustive switch, and processors can branch on it too.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable';

/**
 * A failure with a stable, documented `code` (`validation_failed`, `illegal_transition`, …).
 * Services and processors throw these, never HttpException, because the same code runs
 * outside HTTP.
 */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds a client should wait, for `rate_limited` answers. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const Errors = {
  validation: (message: string, details?: Record<string, unknown>) =>
    new AppError('bad_request', 'validation_failed', message, details),
  unauthorized: (message = 'Authentication required', code = 'unauthorized') =>
    new AppError('unauthorized', code, message),
  forbidden: (message = 'You are not allowed to do this', code = 'forbidden') =>
    new AppError('forbidden', code, message),
  notFound: (what = 'Resource') => new AppError('not_found', 'not_found', `${what} not found`),
  conflict: (message: string, code = 'conflict', details?: Record<string, unknown>) =>
    new AppError('conflict', code, message, details),
  rateLimited: (retryAfterSeconds: number, message = 'Too many requests, try again later') =>
    new AppError('rate_limited', 'rate_limited', message, undefined, retryAfterSeconds),
  gone: (message: string, code = 'gone') => new AppError('gone', code, message),
} as const;
