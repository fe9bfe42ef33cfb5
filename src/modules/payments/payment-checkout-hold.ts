import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../database/tenant-db.js';
import { CheckoutHolds } from '../commerce/orders/checkout-holds.js';

/**
 * Keeps a lapsed checkout open while money for it is on its way: a Paystack event for one
 * of its links not yet applied (verify still says "processing", or Paystack was down), or
 * a payment held for staff to review. Cancelling would release the stock and tell the
 * customer their order is gone while they may already have paid. Pending events are
 * bounded (24 h, then failed and staff told), so the hold is too; a review waits for staff.
 */
@Injectable()
export class PaymentCheckoutHold implements OnModuleInit {
  constructor(private readonly holds: CheckoutHolds) {}

  onModuleInit(): void {
    this.holds.register((tx, scope, orderId) => paymentOnItsWay(tx, scope, orderId));
  }
}

/** Runs in the expiring transaction, under the order's lock. */
export async function paymentOnItsWay(
  tx: EntityManager,
  scope: TenantScope,
  orderId: string,
): Promise<string | undefined> {
  const [row] = await tx.query<{ reason: string | null }[]>(
    `SELECT CASE
       WHEN EXISTS (SELECT 1 FROM payment_attempts a
                      JOIN payment_events e ON e.tenant_id = a.tenant_id AND e.reference = a.reference
                     WHERE a.tenant_id = $1 AND a.order_id = $2 AND e.status = 'pending') THEN 'payment_event_pending'
       WHEN EXISTS (SELECT 1 FROM payment_transactions t
                     WHERE t.tenant_id = $1 AND t.order_id = $2 AND t.status = 'review') THEN 'payment_in_review'
     END AS reason`,
    [scope.tenantId, orderId],
  );
  return row?.reason ?? undefined;
}
