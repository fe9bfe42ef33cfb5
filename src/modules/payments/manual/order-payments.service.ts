import { Injectable } from '@nestjs/common';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { OrdersService } from '../../commerce/orders/orders.service.js';
import { PaymentLedger } from '../ledger/payment-ledger.service.js';
import { reviewReasons, type ReviewReason } from '../ledger/review-reasons.js';
import {
  toTransactionView,
  TRANSACTION_COLUMNS,
  type PaymentTransactionView,
  type TransactionRow,
} from '../ledger/transaction.views.js';
import { PaymentErrors } from '../payments.errors.js';
import type { RecordPaymentDto } from './record-payment.dto.js';

/** An order's payments as staff see them, and bank transfers they record by hand. */
@Injectable()
export class OrderPaymentsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly orders: OrdersService,
    private readonly ledger: PaymentLedger,
  ) {}

  /**
   * A person says the money arrived: unlike a provider's report, a transfer that does not
   * fit the order is refused (409) rather than kept for review, so nothing changes.
   */
  record(
    ctx: TenantContext,
    orderId: string,
    dto: RecordPaymentDto,
    origin: RequestOrigin,
  ): Promise<PaymentTransactionView> {
    return this.tenantDb.run(ctx, async (tx) => {
      const order = await this.orders.lock(tx, ctx, orderId);
      const [seen] = await tx.query(
        `SELECT 1 FROM payment_transactions WHERE tenant_id = $1 AND provider = 'bank_transfer' AND reference = $2`,
        [ctx.tenantId, dto.reference],
      );
      if (seen) throw PaymentErrors.duplicatePayment();
      const [reason] = reviewReasons(order, { amountMinor: dto.amountMinor, currency: order.currency });
      if (reason) throw refusal(reason, order.totalMinor, order.currency);
      const { outcome, transaction } = await this.ledger.record(tx, ctx, {
        orderId: order.id,
        provider: 'bank_transfer',
        reference: dto.reference,
        amountMinor: dto.amountMinor,
        currency: order.currency,
        paidAt: new Date(),
        recordedBy: { userId: ctx.userId, origin },
      });
      // Another request recorded the same reference first.
      if (outcome === 'duplicate') throw PaymentErrors.duplicatePayment();
      return transaction;
    });
  }

  /** Oldest first; an order has a handful at most. */
  list(ctx: TenantContext, orderId: string): Promise<{ items: PaymentTransactionView[] }> {
    return this.tenantDb.run(ctx, async (tx) => {
      await this.orders.detail(tx, ctx, orderId);
      const rows = await tx.query<TransactionRow[]>(
        `SELECT ${TRANSACTION_COLUMNS} FROM payment_transactions t
          WHERE t.tenant_id = $1 AND t.order_id = $2 ORDER BY t.created_at, t.id LIMIT 100`,
        [ctx.tenantId, orderId],
      );
      return { items: rows.map(toTransactionView) };
    });
  }
}

function refusal(reason: ReviewReason, totalMinor: number, currency: string) {
  switch (reason) {
    case 'order_cancelled':
      return PaymentErrors.orderCancelled();
    case 'already_paid':
      return PaymentErrors.alreadyPaid();
    case 'currency_mismatch':
    case 'amount_mismatch':
      return PaymentErrors.amountMismatch(totalMinor, currency);
  }
}
