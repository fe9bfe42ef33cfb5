import { reviewReasons } from './review-reasons.js';

const order = {
  status: 'pending_confirmation',
  paymentStatus: 'pending',
  totalMinor: 650_000,
  currency: 'NGN',
} as const;

describe('reviewReasons', () => {
  it('has nothing to say about the exact amount in the order’s currency', () => {
    expect(reviewReasons(order, { amountMinor: 650_000, currency: 'NGN' })).toEqual([]);
    expect(
      reviewReasons(
        { ...order, status: 'confirmed', paymentStatus: 'unpaid' },
        { amountMinor: 650_000, currency: 'ngn' },
      ),
    ).toEqual([]);
  });

  it('flags a different amount, more or less, and another currency', () => {
    expect(reviewReasons(order, { amountMinor: 649_999, currency: 'NGN' })).toEqual(['amount_mismatch']);
    expect(reviewReasons(order, { amountMinor: 650_001, currency: 'NGN' })).toEqual(['amount_mismatch']);
    expect(reviewReasons(order, { amountMinor: 650_000, currency: 'GHS' })).toEqual(['currency_mismatch']);
  });

  it('flags money for a cancelled order and a second payment', () => {
    expect(reviewReasons({ ...order, status: 'cancelled' }, { amountMinor: 650_000, currency: 'NGN' })).toEqual([
      'order_cancelled',
    ]);
    expect(reviewReasons({ ...order, paymentStatus: 'paid' }, { amountMinor: 1, currency: 'NGN' })).toEqual([
      'already_paid',
      'amount_mismatch',
    ]);
  });
});
