import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { afterCommit, type TenantScope } from '../../../database/tenant-db.js';
import { OrdersService } from '../../commerce/orders/orders.service.js';
import { CUSTOMER_NOTIFICATION_KINDS, type CustomerNotice } from './customer-notification.js';
import { CustomerNotificationQueue } from './customer-notification.queue.js';

/**
 * Records what a customer should hear about an order, in the caller's tenant transaction,
 * so that the change and its notification commit together; the notification worker
 * sends it after commit. The row, not the job, is the promise: a lost job is swept.
 */
@Injectable()
export class CustomerNotifications {
  private readonly logger = new Logger(CustomerNotifications.name);

  constructor(
    private readonly orders: OrdersService,
    private readonly queue: CustomerNotificationQueue,
  ) {}

  /**
   * At most once per (order, key), the key defaulting to the kind. Returns false when that
   * notice was already recorded. Throws `not_found` for an order the tenant does not have.
   */
  async record(tx: EntityManager, scope: TenantScope, notice: CustomerNotice): Promise<boolean> {
    if (!(CUSTOMER_NOTIFICATION_KINDS as readonly string[]).includes(notice.kind))
      throw new Error(`Unknown customer notification kind: ${String(notice.kind)}`);
    // Checked here, where a caller's bug fails its own test, not later in the worker.
    if (notice.amountMinor !== undefined && !(Number.isSafeInteger(notice.amountMinor) && notice.amountMinor >= 0))
      throw new Error('A notice amount must be a non-negative integer of minor units');
    const order = await this.orders.detail(tx, scope, notice.orderId);
    // The conversation is the order's own, copied in the same statement: no caller can
    // pair a notification with another conversation (the table cannot check it by a key).
    const [row] = await tx.query<{ id: string }[]>(
      `INSERT INTO customer_notifications (tenant_id, order_id, conversation_id, kind, key, notice)
       SELECT o.tenant_id, o.id, o.conversation_id, $3::text, $4::text, $5::jsonb
         FROM orders o WHERE o.tenant_id = $1 AND o.id = $2
       ON CONFLICT (tenant_id, order_id, key) DO NOTHING
       RETURNING id`,
      [scope.tenantId, order.id, notice.kind, notice.key ?? notice.kind, storedNotice(notice)],
    );
    if (!row) return false;
    afterCommit(tx, async () => {
      const job = { tenantId: scope.tenantId, orderId: order.id };
      if (!(await this.queue.enqueue(job, row.id)))
        this.logger.warn(job, 'customer notification not queued: Redis did not answer; the sweeper will');
    });
    return true;
  }
}

/** Only what the message needs; the order, key and kind have their own columns. */
function storedNotice(notice: CustomerNotice): string {
  const { invoice, payment, amountMinor } = notice;
  return JSON.stringify({
    ...(invoice
      ? { invoice: { invoiceNumber: invoice.invoiceNumber, link: invoice.link, filename: invoice.filename } }
      : {}),
    ...(payment
      ? {
          payment: {
            ...(payment.url ? { url: payment.url } : {}),
            ...(payment.bankTransferInstructions ? { bankTransferInstructions: payment.bankTransferInstructions } : {}),
          },
        }
      : {}),
    ...(amountMinor === undefined ? {} : { amountMinor }),
  });
}
