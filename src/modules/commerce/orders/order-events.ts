import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';
import type { OrderActorType, OrderStatus } from './order-lifecycle.js';

/** Why the platform moved an order, when it was not a person's choice. */
export type OrderChangeReason = 'payment' | 'expired';

interface OrderRef {
  orderId: string;
  number: number;
  conversationId: string;
  contactId: string;
}

export type OrderEvent =
  /** `from` is null when the order was just created. */
  | (OrderRef & {
      type: 'status_changed';
      from: OrderStatus | null;
      to: OrderStatus;
      actor: OrderActorType;
      reason?: OrderChangeReason;
    })
  /** The customer asked for the payment link or instructions again. */
  | (OrderRef & { type: 'payment_requested' });

export type OrderEventListener = (tx: EntityManager, scope: TenantScope, event: OrderEvent) => Promise<void>;

/**
 * Order events, heard inside the transaction that made them. Payments, invoices and
 * notifications sit downstream of commerce and subscribe here, so an order's confirmation,
 * its invoice number and the customer's notification commit together or not at all,
 * without commerce importing any of them. Listeners must not call providers: they write
 * rows and use `afterCommit` to enqueue the work.
 */
@Injectable()
export class OrderEvents {
  private readonly listeners: OrderEventListener[] = [];

  subscribe(listener: OrderEventListener): void {
    this.listeners.push(listener);
  }

  async publish(tx: EntityManager, scope: TenantScope, event: OrderEvent): Promise<void> {
    for (const listener of this.listeners) await listener(tx, scope, event);
  }
}
