/**
 * A failed Paystack call. `transient` (network, timeout, 429, 5xx, a garbled answer) is
 * worth retrying later; `permanent` (4xx: an invalid key, a refused parameter) is not, and
 * the caller falls back to another way to pay or tells staff.
 */
export class PaystackError extends Error {
  override readonly name = 'PaystackError';

  constructor(
    readonly retry: 'transient' | 'permanent',
    /** Stable, for logs and the database: 'http:401', 'network', 'timeout', 'malformed_response', … */
    readonly code: string,
    /** Paystack's own message, bounded; never the key or the request. */
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
  }

  get transient(): boolean {
    return this.retry === 'transient';
  }
}

const MAX_REASON_LENGTH = 300;

/** Classifies an HTTP error answer: 429 and 5xx are worth retrying, other 4xx are not. */
export function httpFailure(status: number, body: unknown, secretKey: string): PaystackError {
  const retry = status === 429 || status >= 500 ? 'transient' : 'permanent';
  return new PaystackError(retry, `http:${status}`, reasonOf(body, secretKey));
}

function reasonOf(body: unknown, secretKey: string): string {
  const message =
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : 'no message';
  // Paystack does not echo keys, but a reason ends up in logs and the database.
  const safe = secretKey ? message.split(secretKey).join('[redacted]') : message;
  return safe.slice(0, MAX_REASON_LENGTH);
}
