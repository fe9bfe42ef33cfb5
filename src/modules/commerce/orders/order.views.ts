import type { OrderDelivery } from './order-delivery.js';
import type { OrderActorType, OrderStatus, PaymentStatus } from './order-lifecycle.js';

export interface OrderView {
  id: string;
  /** Per-tenant, from 1001, without gaps: what the customer quotes. */
  number: number;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  currency: string;
  subtotalMinor: number;
  totalMinor: number;
  delivery: OrderDelivery;
  conversationId: string;
  contactId: string;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderItemView {
  productId: string;
  name: string;
  unitPriceMinor: number;
  quantity: number;
  lineTotalMinor: number;
}

export interface OrderTransitionView {
  from: OrderStatus | null;
  to: OrderStatus;
  actorType: OrderActorType;
  actorUserId: string | null;
  note: string | null;
  at: string;
}

export interface OrderDetailView extends OrderView {
  items: OrderItemView[];
  transitions: OrderTransitionView[];
}

/** The columns of `orders` as OrderRow has them; `o` is the table's alias. */
export const ORDER_COLUMNS = `o.id, o.number, o.status, o.payment_status AS "paymentStatus", o.currency,
  o.subtotal_minor AS "subtotalMinor", o.total_minor AS "totalMinor", o.delivery,
  o.conversation_id AS "conversationId", o.contact_id AS "contactId", o.expires_at AS "expiresAt",
  o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

/** An `orders` row as pg returns it: bigint as text, timestamps as Date. */
export interface OrderRow {
  id: string;
  number: string;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  currency: string;
  subtotalMinor: string;
  totalMinor: string;
  delivery: OrderDelivery;
  conversationId: string;
  contactId: string;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toOrderView(row: OrderRow): OrderView {
  return {
    id: row.id,
    number: safeNumber(row.number),
    status: row.status,
    paymentStatus: row.paymentStatus,
    currency: row.currency,
    subtotalMinor: safeNumber(row.subtotalMinor),
    totalMinor: safeNumber(row.totalMinor),
    delivery: row.delivery,
    conversationId: row.conversationId,
    contactId: row.contactId,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Amounts are capped far inside Number's safe range; anything else is refused, not rounded. */
export function safeNumber(value: string | number): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`Not a safe integer: ${value}`);
  return parsed;
}
