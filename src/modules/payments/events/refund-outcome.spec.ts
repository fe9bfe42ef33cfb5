import { refundOutcome, refundsTransaction, reportedRefund } from './refund-outcome.js';

const paid = { status: 'succeeded', amountMinor: 500_000, currency: 'NGN' } as const;

describe('refundOutcome', () => {
  it('refunds the order only for the whole of an applied payment', () => {
    expect(refundOutcome(paid, { amountMinor: 500_000, currency: 'NGN' })).toBe('refunded');
    expect(refundOutcome(paid, { amountMinor: 500_000, currency: null })).toBe('refunded');
    expect(refundsTransaction('refunded')).toBe(true);
  });

  it('calls a smaller, unreadable or foreign-currency refund partial', () => {
    expect(refundOutcome(paid, { amountMinor: 200_000, currency: 'NGN' })).toBe('partial_refund');
    expect(refundOutcome(paid, { amountMinor: null, currency: 'NGN' })).toBe('partial_refund');
    expect(refundOutcome(paid, { amountMinor: 500_000, currency: 'GHS' })).toBe('partial_refund');
    expect(refundsTransaction('partial_refund')).toBe(false);
  });

  it('never refunds an order for money held for review, or twice', () => {
    const review = { ...paid, status: 'review' } as const;
    expect(refundOutcome(review, { amountMinor: 500_000, currency: 'NGN' })).toBe('review_refunded');
    expect(refundOutcome(review, { amountMinor: 1, currency: 'NGN' })).toBe('review_partial_refund');
    expect(refundOutcome({ ...paid, status: 'refunded' }, { amountMinor: 500_000, currency: 'NGN' })).toBe(
      'already_refunded',
    );
  });
});

describe('reportedRefund', () => {
  it('reads the amount as a number or digits, and nothing else', () => {
    expect(reportedRefund({ data: { amount: 500_000, currency: 'ngn' } })).toEqual({
      amountMinor: 500_000,
      currency: 'NGN',
    });
    expect(reportedRefund({ data: { amount: '1500' } })).toEqual({ amountMinor: 1500, currency: null });
    for (const amount of [undefined, null, -1, 0, 1.5, '1e3', {}, Number.MAX_SAFE_INTEGER + 1]) {
      expect(reportedRefund({ data: { amount } }).amountMinor).toBeNull();
    }
    expect(reportedRefund({ data: 'x' })).toEqual({ amountMinor: null, currency: null });
  });
});
