import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { OrdersService } from '../../commerce/orders/orders.service.js';
import { StaffNotices } from '../../notifications/staff-notices/staff-notices.service.js';
import { lockPendingEvent, settleEvent, type StoredEvent } from './stored-events.js';

/**
 * Refunds and disputes of a Paystack payment we recorded. Signed by the tenant's key and
 * about a reference in its ledger; kept small: the order and the transaction show it, and
 * staff are told, since either means money is going back to the customer.
 */
@Injectable()
export class PaystackAdjustmentsHandler {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly orders: OrdersService,
    private readonly staff: StaffNotices,
  ) {}

  async handle(scope: TenantScope, event: StoredEvent, kind: 'refund' | 'dispute'): Promise<void> {
    await this.tenantDb.run(scope, async (tx) => {
      if (!(await lockPendingEvent(tx, scope, event.id))) return;
      const payment = event.reference ? await this.paymentFor(tx, scope, event.reference) : undefined;
      if (!payment) return settleEvent(tx, scope, event.id, 'ignored', 'unknown_reference');
      const order = await this.orders.lock(tx, scope, payment.orderId);
      if (kind === 'refund') {
        await tx.query(
          `UPDATE payment_transactions SET status = 'refunded' WHERE tenant_id = $1 AND id = $2 AND status <> 'refunded'`,
          [scope.tenantId, payment.id],
        );
        if (order.paymentStatus === 'paid') await this.orders.setPaymentStatus(tx, scope, order.id, 'refunded');
      }
      await this.staff.alert(tx, scope, {
        kind: 'payment_review',
        orderId: order.id,
        summary:
          kind === 'refund'
            ? `Paystack refunded the payment for order #${order.number}. The order is marked refunded.`
            : `The customer disputed the Paystack payment for order #${order.number}. Answer the dispute in the Paystack dashboard.`,
      });
      await settleEvent(tx, scope, event.id, 'applied', kind === 'refund' ? 'refunded' : 'dispute_opened');
    });
  }

  private async paymentFor(tx: EntityManager, scope: TenantScope, reference: string) {
    const [row] = await tx.query<{ id: string; orderId: string }[]>(
      `SELECT id, order_id AS "orderId" FROM payment_transactions
        WHERE tenant_id = $1 AND provider = 'paystack' AND reference = $2`,
      [scope.tenantId, reference],
    );
    return row;
  }
}
