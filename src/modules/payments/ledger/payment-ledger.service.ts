import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import type { TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import type { OrderDetailView } from '../../commerce/orders/order.views.js';
import { OrdersService } from '../../commerce/orders/orders.service.js';
import { InvoicesService } from '../../invoices/invoices.service.js';
import { CustomerNotifications } from '../../notifications/customer/customer-notifications.service.js';
import { StaffNotices } from '../../notifications/staff-notices/staff-notices.service.js';
import { moneyText } from './money-text.js';
import { reviewReasons, type ReviewReason } from './review-reasons.js';
import {
  toTransactionView,
  TRANSACTION_COLUMNS,
  type PaymentProvider,
  type PaymentTransactionView,
  type TransactionRow,
} from './transaction.views.js';

export interface IncomingPayment {
  orderId: string;
  provider: PaymentProvider;
  reference: string;
  amountMinor: number;
  currency: string;
  paidAt: Date;
  providerTransactionId?: string | null;
  /** The stored webhook that reported it. */
  eventId?: string | null;
  /** The member who recorded a bank transfer. */
  recordedBy?: { userId: string; origin?: RequestOrigin };
}

/** `paid`: applied to its order. `review`: kept, not applied, staff told. `duplicate`: already recorded. */
export type LedgerOutcome = 'paid' | 'review' | 'duplicate';

/**
 * The one path by which money reaches an order, for Paystack and bank transfers alike:
 * under the order's lock, one row per (provider, reference) however often it is reported;
 * a payment that fits marks the order paid, confirms it, marks its invoice paid and tells
 * the customer, all in the caller's transaction.
 */
@Injectable()
export class PaymentLedger {
  constructor(
    private readonly orders: OrdersService,
    private readonly invoices: InvoicesService,
    private readonly customers: CustomerNotifications,
    private readonly staff: StaffNotices,
    private readonly audit: AuditService,
  ) {}

  async record(
    tx: EntityManager,
    scope: TenantScope,
    payment: IncomingPayment,
  ): Promise<{ outcome: LedgerOutcome; transaction: PaymentTransactionView }> {
    const order = await this.orders.lock(tx, scope, payment.orderId);
    const reasons = reviewReasons(order, payment);
    const inserted = await this.insert(tx, scope, payment, reasons);
    if (!inserted) {
      return { outcome: 'duplicate', transaction: await this.byReference(tx, scope, payment) };
    }
    await this.audit.recordIn(tx, scope, {
      action: 'payment.recorded',
      actorUserId: payment.recordedBy?.userId ?? null,
      origin: payment.recordedBy?.origin,
      target: { type: 'order', id: order.id },
      details: {
        transactionId: inserted.id,
        provider: payment.provider,
        amountMinor: payment.amountMinor,
        currency: inserted.currency,
        status: inserted.status,
        reviewReasons: reasons,
      },
    });
    if (reasons.length > 0) {
      await this.staff.alert(tx, scope, {
        kind: 'payment_review',
        orderId: order.id,
        summary: reviewSummary(order, payment, reasons),
      });
      return { outcome: 'review', transaction: inserted };
    }
    await this.applyToOrder(tx, scope, order, payment);
    return { outcome: 'paid', transaction: inserted };
  }

  private async applyToOrder(tx: EntityManager, scope: TenantScope, order: OrderDetailView, payment: IncomingPayment) {
    await this.orders.setPaymentStatus(tx, scope, order.id, 'paid');
    if (order.status === 'pending_confirmation') {
      await this.orders.transition(tx, scope, order.id, 'confirmed', { type: 'system' }, { reason: 'payment' });
    }
    const invoice = await this.invoices.markPaid(tx, scope, order.id, payment.paidAt);
    await this.customers.record(tx, scope, {
      orderId: order.id,
      kind: 'payment_received',
      amountMinor: payment.amountMinor,
      invoice: this.invoices.attachmentFor(scope, invoice),
    });
  }

  private async insert(
    tx: EntityManager,
    scope: TenantScope,
    payment: IncomingPayment,
    reasons: ReviewReason[],
  ): Promise<PaymentTransactionView | undefined> {
    const [row] = await tx.query<TransactionRow[]>(
      `INSERT INTO payment_transactions AS t (tenant_id, order_id, provider, reference, amount_minor, currency, status,
                                              review_reasons, provider_transaction_id, event_id, recorded_by, paid_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (tenant_id, provider, reference) DO NOTHING
       RETURNING ${TRANSACTION_COLUMNS}`,
      [
        scope.tenantId,
        payment.orderId,
        payment.provider,
        payment.reference,
        payment.amountMinor,
        payment.currency.toUpperCase(),
        reasons.length ? 'review' : 'succeeded',
        reasons,
        payment.providerTransactionId ?? null,
        payment.eventId ?? null,
        payment.recordedBy?.userId ?? null,
        payment.paidAt,
      ],
    );
    return row ? toTransactionView(row) : undefined;
  }

  private async byReference(tx: EntityManager, scope: TenantScope, payment: IncomingPayment) {
    const [row] = await tx.query<TransactionRow[]>(
      `SELECT ${TRANSACTION_COLUMNS} FROM payment_transactions t
        WHERE t.tenant_id = $1 AND t.provider = $2 AND t.reference = $3`,
      [scope.tenantId, payment.provider, payment.reference],
    );
    return toTransactionView(row);
  }
}

/** One line for staff: what arrived, what was expected, what to do. No personal data. */
function reviewSummary(order: OrderDetailView, payment: IncomingPayment, reasons: ReviewReason[]): string {
  const paid = moneyText(payment.amountMinor, payment.currency);
  const due = moneyText(order.totalMinor, order.currency);
  const why: Record<ReviewReason, string> = {
    order_cancelled: 'the order is cancelled',
    already_paid: 'the order was already paid',
    currency_mismatch: `it is in ${payment.currency.toUpperCase()}, not ${order.currency}`,
    amount_mismatch: `the order total is ${due}`,
  };
  return (
    `A ${payment.provider === 'paystack' ? 'Paystack' : 'bank transfer'} payment of ${paid} for order #${order.number} ` +
    `needs review: ${reasons.map((reason) => why[reason]).join('; ')}. It was not applied to the order; ` +
    `check it and refund or settle it with the customer.`
  );
}
