import { moneyText } from '../ledger/money-text.js';
import type { TransactionStatus } from '../ledger/transaction.views.js';
import { isRecord } from '../paystack/paystack-wire.js';

/** The ledger row a refund is about. */
export interface RefundedPayment {
  status: TransactionStatus;
  amountMinor: number;
  currency: string;
}

/** What the refund event says was sent back; null where it says nothing usable. */
export interface ReportedRefund {
  amountMinor: number | null;
  currency: string | null;
}

/**
 * `refunded`: the whole of an applied payment went back, so the order is refunded too.
 * Anything else leaves the order as it is and goes to staff: part of a payment, money
 * that was never applied (held for review), or a payment already refunded.
 */
export type RefundOutcome =
  'refunded' | 'partial_refund' | 'review_refunded' | 'review_partial_refund' | 'already_refunded';

/** Reads `data.amount` and `data.currency` of a stored refund event, trusting neither's type. */
export function reportedRefund(payload: Record<string, unknown>): ReportedRefund {
  const data = isRecord(payload.data) ? payload.data : {};
  const amount = typeof data.amount === 'string' && /^\d{1,15}$/.test(data.amount) ? Number(data.amount) : data.amount;
  return {
    amountMinor: typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0 ? amount : null,
    currency:
      typeof data.currency === 'string' && /^[A-Za-z]{3}$/.test(data.currency) ? data.currency.toUpperCase() : null,
  };
}

export function refundOutcome(payment: RefundedPayment, refund: ReportedRefund): RefundOutcome {
  if (payment.status === 'refunded') return 'already_refunded';
  // An amount we cannot read is not proof the whole payment went back.
  const whole =
    refund.amountMinor === payment.amountMinor && (refund.currency === null || refund.currency === payment.currency);
  if (payment.status === 'review') return whole ? 'review_refunded' : 'review_partial_refund';
  return whole ? 'refunded' : 'partial_refund';
}

/** Whether the ledger row is now wholly refunded. */
export function refundsTransaction(outcome: RefundOutcome): boolean {
  return outcome === 'refunded' || outcome === 'review_refunded';
}

export function refundSummary(
  orderNumber: number,
  payment: RefundedPayment,
  refund: ReportedRefund,
  outcome: RefundOutcome,
): string {
  const order = `order #${orderNumber}`;
  const paid = moneyText(payment.amountMinor, payment.currency);
  const sent =
    refund.amountMinor === null
      ? 'an amount it did not state'
      : moneyText(refund.amountMinor, refund.currency ?? payment.currency);
  switch (outcome) {
    case 'refunded':
      return `Paystack refunded the payment for ${order} (${paid}). The order is marked refunded.`;
    case 'partial_refund':
      return `Paystack refunded ${sent} of the ${paid} paid for ${order}. The order is unchanged: settle the rest with the customer.`;
    case 'review_refunded':
      return `Paystack refunded the ${paid} payment for ${order} that was held for review. The order is unchanged.`;
    case 'review_partial_refund':
      return `Paystack refunded ${sent} of the ${paid} payment for ${order} that was held for review. The order is unchanged.`;
    case 'already_refunded':
      return `Paystack reported another refund (${sent}) for ${order}, whose payment is already refunded. Check it in the Paystack dashboard.`;
  }
}
