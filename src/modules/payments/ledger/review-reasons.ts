import type { OrderView } from '../../commerce/orders/order.views.js';

export const REVIEW_REASONS = ['order_cancelled', 'already_paid', 'currency_mismatch', 'amount_mismatch'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/**
 * Why a payment cannot simply be applied to its order, most serious first; none means it
 * pays the order exactly. Money for a cancelled (or expired) order, a second payment, or
 * a different sum or currency is kept for a person to look at, never applied.
 */
export function reviewReasons(
  order: Pick<OrderView, 'status' | 'paymentStatus' | 'totalMinor' | 'currency'>,
  payment: { amountMinor: number; currency: string },
): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  if (order.status === 'cancelled') reasons.push('order_cancelled');
  if (order.paymentStatus === 'paid' || order.paymentStatus === 'refunded') reasons.push('already_paid');
  if (payment.currency.toUpperCase() !== order.currency) reasons.push('currency_mismatch');
  if (payment.amountMinor !== order.totalMinor) reasons.push('amount_mismatch');
  return reasons;
}
