import { AppError } from '../../../common/errors/app-error.js';
import { PaystackError } from '../paystack/paystack.errors.js';

/**
 * Paystack retries a webhook for 72 hours, but a payment still "processing" a day later,
 * or an event that failed this often, will not sort itself out: a person must look.
 */
export const EVENT_MAX_AGE_MS = 24 * 60 * 60 * 1000;
// A job tries 6 times, then the sweeper re-runs it every few minutes: about half an hour of
// errors (a Paystack outage, a ledger refusal) before staff are asked to step in.
export const EVENT_MAX_FAILURES = 30;

/**
 * Verify says the payment is not final yet (`pending`, `processing`, …): not an error,
 * but the event must stay pending and be tried again later.
 */
export class PaymentNotFinal extends Error {
  override readonly name = 'PaymentNotFinal';

  constructor(readonly status: string) {
    super(`Paystack reports the payment as ${status}`);
  }
}

/** What a try that threw leaves on the event: a short code, never a message with data in it. */
export function unsettledReason(error: unknown): string {
  if (error instanceof PaymentNotFinal) return `not_final:${error.status}`;
  if (error instanceof PaystackError || error instanceof AppError) return error.code;
  return 'internal_error';
}

/** Errors count towards the limit; a payment Paystack still works on only ages. */
export function failuresAfter(failures: number, error: unknown): number {
  return error instanceof PaymentNotFinal ? failures : failures + 1;
}

export function shouldGiveUp(event: { receivedAt: Date; failures: number }, now: Date): boolean {
  return event.failures >= EVENT_MAX_FAILURES || now.getTime() - event.receivedAt.getTime() >= EVENT_MAX_AGE_MS;
}
