import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import type { OrderDetailView } from '../../commerce/orders/order.views.js';
import { OrdersService } from '../../commerce/orders/orders.service.js';
import { StaffNotices } from '../../notifications/staff-notices/staff-notices.service.js';
import type { TransactionStatus } from '../ledger/transaction.views.js';
import {
  refundOutcome,
  refundsTransaction,
  refundSummary,
  reportedRefund,
  type RefundOutcome,
} from './refund-outcome.js';
import { lockPendingEvent, settleEvent, type StoredEvent } from './stored-events.js';

interface LedgerRow {
  id: string;
  orderId: string;
  status: TransactionStatus;
  amountMinor: number;
  currency: string;
}

/**
 * Refunds and disputes of a Paystack payment we recorded. Signed by the tenant's key and
 * about a reference in its ledger. Staff are always told, since either means money is
 * going back to the customer; the order changes only when the whole of an applied payment
 * was refunded.
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
      const outcome =
        kind === 'refund' ? await this.refund(tx, scope, order, payment, event) : await this.dispute(tx, scope, order);
      await settleEvent(tx, scope, event.id, 'applied', outcome);
    });
  }

  private async refund(
    tx: EntityManager,
    scope: TenantScope,
    order: OrderDetailView,
    payment: LedgerRow,
    event: StoredEvent,
  ): Promise<RefundOutcome> {
    const refund = reportedRefund(event.payload);
    const outcome = refundOutcome(payment, refund);
    if (refundsTransaction(outcome)) {
      await tx.query(`UPDATE payment_transactions SET status = 'refunded' WHERE tenant_id = $1 AND id = $2`, [
        scope.tenantId,
        payment.id,
      ]);
    }
    if (outcome === 'refunded' && order.paymentStatus === 'paid') {
      await this.orders.setPaymentStatus(tx, scope, order.id, 'refunded');
    }
    const summary = refundSummary(order.number, payment, refund, outcome);
    await this.staff.alert(tx, scope, { kind: 'payment_review', orderId: order.id, summary });
    return outcome;
  }

  private async dispute(tx: EntityManager, scope: TenantScope, order: OrderDetailView): Promise<string> {
    await this.staff.alert(tx, scope, {
      kind: 'payment_review',
      orderId: order.id,
      summary: `The customer disputed the Paystack payment for order #${order.number}. Answer the dispute in the Paystack dashboard.`,
    });
    return 'dispute_opened';
  }

  private async paymentFor(tx: EntityManager, scope: TenantScope, reference: string): Promise<LedgerRow | undefined> {
    const [row] = await tx.query<(Omit<LedgerRow, 'amountMinor'> & { amountMinor: string })[]>(
      `SELECT id, order_id AS "orderId", status, amount_minor AS "amountMinor", currency FROM payment_transactions
        WHERE tenant_id = $1 AND provider = 'paystack' AND reference = $2 FOR UPDATE`,
      [scope.tenantId, reference],
    );
    return row && { ...row, amountMinor: Number(row.amountMinor) };
  }
}
