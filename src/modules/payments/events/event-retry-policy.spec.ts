import { AppError } from '../../../common/errors/app-error.js';
import { PaystackError } from '../paystack/paystack.errors.js';
import {
  EVENT_MAX_AGE_MS,
  EVENT_MAX_FAILURES,
  failuresAfter,
  PaymentNotFinal,
  shouldGiveUp,
  unsettledReason,
} from './event-retry-policy.js';

const now = new Date('2026-01-05T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('the Paystack event retry policy', () => {
  it('counts errors of every kind, but not a payment Paystack still works on', () => {
    expect(failuresAfter(3, new PaystackError('transient', 'malformed_response', 'garbled'))).toBe(4);
    expect(failuresAfter(3, new AppError('conflict', 'invoice_void', 'void'))).toBe(4);
    expect(failuresAfter(3, new Error('connection reset'))).toBe(4);
    expect(failuresAfter(3, new PaymentNotFinal('processing'))).toBe(3);
  });

  it('names why an event is still pending with a short code', () => {
    expect(unsettledReason(new PaymentNotFinal('queued'))).toBe('not_final:queued');
    expect(unsettledReason(new PaystackError('transient', 'http:503', 'down'))).toBe('http:503');
    expect(unsettledReason(new AppError('conflict', 'invoice_void', 'void'))).toBe('invoice_void');
    expect(unsettledReason(new Error('password=hunter2'))).toBe('internal_error');
  });

  it('gives up a day after the event came, or at the failure limit, whichever is first', () => {
    expect(shouldGiveUp({ receivedAt: ago(EVENT_MAX_AGE_MS - 1000), failures: EVENT_MAX_FAILURES - 1 }, now)).toBe(
      false,
    );
    expect(shouldGiveUp({ receivedAt: ago(EVENT_MAX_AGE_MS), failures: 0 }, now)).toBe(true);
    expect(shouldGiveUp({ receivedAt: ago(0), failures: EVENT_MAX_FAILURES }, now)).toBe(true);
  });
});
