import { randomBytes } from 'node:crypto';
import type { OrderView } from '../../commerce/orders/order.views.js';

/** Ours, unique per checkout link: letters, digits and `-`, as Paystack accepts. */
export function newPaystackReference(order: Pick<OrderView, 'number'>): string {
  return `hwk-${order.number}-${randomBytes(6).toString('hex')}`;
}

/**
 * Paystack needs an e-mail and chat customers rarely give one: a placeholder per order
 * under a domain the platform controls, so Paystack never merges two shops' customers.
 */
export function placeholderEmail(order: Pick<OrderView, 'id' | 'number'>, domain: string): string {
  return `order-${order.number}-${order.id.slice(0, 8)}@${domain}`;
}

/**
 * What a request came to: a Paystack link (with bank instructions when offered), bank
 * instructions alone, neither (`no_method`: staff were told), or nothing sent (`skipped`:
 * the order was cancelled or paid meanwhile).
 */
export type PaymentRequestOutcome = 'paystack_link' | 'bank_transfer' | 'no_method' | 'skipped';

/** Whether an order can still take a payment: not called off, not already paid. */
export function awaitsPayment(order: Pick<OrderView, 'status' | 'paymentStatus'>): boolean {
  return order.status !== 'cancelled' && order.paymentStatus !== 'paid' && order.paymentStatus !== 'refunded';
}
