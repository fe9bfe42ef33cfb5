import { Injectable, Logger } from '@nestjs/common';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { StaffNotices } from '../../notifications/staff-notices/staff-notices.service.js';
import type { PaymentEventJob } from '../payments.queue.js';
import { ChargeSuccessHandler } from './charge-success.handler.js';
import { gaveUpSummary } from './event-notices.js';
import { failuresAfter, shouldGiveUp, unsettledReason } from './event-retry-policy.js';
import { PaystackAdjustmentsHandler } from './paystack-adjustments.handler.js';
import {
  findAttempt,
  findPendingEvent,
  lockPendingEvent,
  noteUnsettledTry,
  settleEvent,
  type StoredEvent,
} from './stored-events.js';

/**
 * Applies one stored Paystack event, once: settled events are skipped. A try that throws
 * leaves the event pending for the job's retry and then the sweeper, until it is too old
 * or has failed too often: then it is settled `failed` and staff are told.
 */
@Injectable()
export class PaymentEventApplier {
  private readonly logger = new Logger(PaymentEventApplier.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly charges: ChargeSuccessHandler,
    private readonly adjustments: PaystackAdjustmentsHandler,
    private readonly staff: StaffNotices,
  ) {}

  async apply(job: PaymentEventJob): Promise<void> {
    const scope = { tenantId: job.tenantId };
    const event = await this.tenantDb.run(scope, (tx) => findPendingEvent(tx, scope, job.eventId));
    if (!event) return;
    try {
      await this.dispatch(scope, event);
    } catch (error) {
      if (await this.gaveUpAfter(scope, event.id, error)) return;
      throw error;
    }
  }

  private async dispatch(scope: TenantScope, event: StoredEvent): Promise<void> {
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

  /**
   * Records a try that left the event pending. True when the event is settled after it
   * (given up now, or settled by another job meanwhile), so there is nothing to retry.
   */
  private gaveUpAfter(scope: TenantScope, eventId: string, error: unknown): Promise<boolean> {
    return this.tenantDb.run(scope, async (tx) => {
      const event = await lockPendingEvent(tx, scope, eventId);
      if (!event) return true;
      const reason = unsettledReason(error);
      const failures = failuresAfter(event.failures, error);
      await noteUnsettledTry(tx, scope, eventId, { reason, failures });
      if (!shouldGiveUp({ receivedAt: event.receivedAt, failures }, new Date())) return false;

      await settleEvent(tx, scope, eventId, 'failed', `gave_up:${reason}`);
      const attempt = event.reference ? await findAttempt(tx, scope, event.reference) : undefined;
      if (attempt) {
        const summary = gaveUpSummary(attempt.orderNumber, event.event, reason);
        await this.staff.alert(tx, scope, { kind: 'payment_review', orderId: attempt.orderId, summary });
      }
      this.logger.warn({ tenantId: scope.tenantId, eventId, reason, failures }, 'gave up on a Paystack event');
      return true;
    });
  }
}
