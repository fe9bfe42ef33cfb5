import { safeNumber } from '../../commerce/orders/order.views.js';
import type { ReviewReason } from './review-reasons.js';

export type PaymentProvider = 'paystack' | 'bank_transfer';
export type TransactionStatus = 'succeeded' | 'review' | 'refunded';

/** A payment received for an order, as staff see it. */
export interface PaymentTransactionView {
  id: string;
  orderId: string;
  provider: PaymentProvider;
  reference: string;
  amountMinor: number;
  currency: string;
  status: TransactionStatus;
  /** Why a payment in `review` was not applied to its order. */
  reviewReasons: ReviewReason[];
  providerTransactionId: string | null;
  /** The member who recorded a bank transfer; null for provider payments. */
  recordedBy: string | null;
  paidAt: string;
  createdAt: string;
}

export const TRANSACTION_COLUMNS = `t.id, t.order_id AS "orderId", t.provider, t.reference, t.amount_minor AS "amountMinor",
  t.currency, t.status, t.review_reasons AS "reviewReasons", t.provider_transaction_id AS "providerTransactionId",
  t.recorded_by AS "recordedBy", t.paid_at AS "paidAt", t.created_at AS "createdAt"`;

export interface TransactionRow extends Omit<PaymentTransactionView, 'amountMinor' | 'paidAt' | 'createdAt'> {
  amountMinor: string;
  paidAt: Date;
  createdAt: Date;
}

export function toTransactionView(row: TransactionRow): PaymentTransactionView {
  return {
    ...row,
    amountMinor: safeNumber(row.amountMinor),
    paidAt: row.paidAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}
