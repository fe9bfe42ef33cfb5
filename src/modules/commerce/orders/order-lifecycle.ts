import { OrderErrors } from './orders.errors.js';

/** Where an order is. Payment has its own status (`PAYMENT_STATUSES`), moved by payments. */
export const ORDER_STATUSES = [
  'pending_confirmation',
  'confirmed',
  'processing',
  'out_for_delivery',
  'delivered',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ['unpaid', 'pending', 'paid', 'failed', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const ORDER_ACTOR_TYPES = ['customer', 'staff', 'system'] as const;
export type OrderActorType = (typeof ORDER_ACTOR_TYPES)[number];

/** Forward one step at a time; `cancelled` until the order has left the shop. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_confirmation: ['confirmed', 'cancelled'],
  confirmed: ['processing', 'cancelled'],
  processing: ['out_for_delivery', 'cancelled'],
  out_for_delivery: ['delivered'],
  delivered: [],
  cancelled: [],
};

/**
 * What a customer may do themselves: call off an order the business has not confirmed.
 * Everything else is the business's (staff) or the platform's (system: payments, expiry).
 */
const CUSTOMER_TRANSITIONS: Partial<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_confirmation: ['cancelled'],
};

export function canTransition(from: OrderStatus, to: OrderStatus, actor: OrderActorType): boolean {
  const allowed = actor === 'customer' ? (CUSTOMER_TRANSITIONS[from] ?? []) : TRANSITIONS[from];
  return allowed.includes(to);
}

/**
 * Returns `to`, or throws `illegal_transition`. Moving to the status an order already has
 * is illegal too: a repeated request must not record a second, empty transition.
 */
export function nextOrderStatus(from: OrderStatus, to: OrderStatus, actor: OrderActorType): OrderStatus {
  if (!canTransition(from, to, actor)) throw OrderErrors.illegalTransition(from, to);
  return to;
}

/** Statuses whose reserved stock is still held: everything but a cancelled order. */
export function holdsStock(status: OrderStatus): boolean {
  return status !== 'cancelled';
}

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}
