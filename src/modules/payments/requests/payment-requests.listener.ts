import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { afterCommit, type TenantScope } from '../../../database/tenant-db.js';
import { OrderEvents, type OrderEvent } from '../../commerce/orders/order-events.js';
import { PaymentsQueue } from '../payments.queue.js';

export type PaymentRequestReason = 'order_placed' | 'customer_asked';

/** An order just placed in chat, or the customer typing `pay`: both want a way to pay. */
export function paymentRequestReason(event: OrderEvent): PaymentRequestReason | null {
  switch (event.type) {
    case 'status_changed':
      return event.from === null && event.to === 'pending_confirmation' ? 'order_placed' : null;
    case 'payment_requested':
      return 'customer_asked';
  }
}

/**
 * Hears order events inside the transaction that made them and writes a payment request
 * there, so it commits with the order; the job that creates a link and tells the customer
 * is enqueued after commit (and swept if Redis was away). No provider is called here.
 */
@Injectable()
export class PaymentRequestsListener implements OnModuleInit {
  constructor(
    private readonly events: OrderEvents,
    private readonly queue: PaymentsQueue,
  ) {}

  onModuleInit(): void {
    this.events.subscribe((tx, scope, event) => this.onOrderEvent(tx, scope, event));
  }

  private async onOrderEvent(tx: EntityManager, scope: TenantScope, event: OrderEvent): Promise<void> {
    const reason = paymentRequestReason(event);
    if (!reason) return;
    const [request] = await tx.query<{ id: string }[]>(
      `INSERT INTO payment_requests (tenant_id, order_id, reason) VALUES ($1, $2, $3) RETURNING id`,
      [scope.tenantId, event.orderId, reason],
    );
    afterCommit(tx, () => this.queue.request({ tenantId: scope.tenantId, requestId: request.id }));
  }
}
