import { Injectable } from '@nestjs/common';
import { TenantDb } from '../../../database/tenant-db.js';
import type { PaymentEventJob } from '../payments.queue.js';
import { ChargeSuccessHandler } from './charge-success.handler.js';
import { PaystackAdjustmentsHandler } from './paystack-adjustments.handler.js';
import { lockPendingEvent, settleEvent } from './stored-events.js';

/** Applies one stored Paystack event, once: settled events are skipped. */
@Injectable()
export class PaymentEventApplier {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly charges: ChargeSuccessHandler,
    private readonly adjustments: PaystackAdjustmentsHandler,
  ) {}

  async apply(job: PaymentEventJob): Promise<void> {
    const scope = { tenantId: job.tenantId };
    const event = await this.tenantDb.run(scope, (tx) => lockPendingEvent(tx, scope, job.eventId));
    if (!event) return;
    switch (event.event) {
      case 'charge.success':
        return this.charges.handle(scope, event);
      case 'refund.processed':
        return this.adjustments.handle(scope, event, 'refund');
      case 'charge.dispute.create':
        return this.adjustments.handle(scope, event, 'dispute');
      default:
        // Stored for the record; nothing in Hawker acts on it.
        await this.tenantDb.run(scope, (tx) => settleEvent(tx, scope, event.id, 'ignored', 'unhandled_event'));
    }
  }
}
