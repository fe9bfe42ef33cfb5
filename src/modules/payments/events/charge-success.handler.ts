import { Injectable } from '@nestjs/common';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { StaffNotices } from '../../notifications/staff-notices/staff-notices.service.js';
import { PaymentLedger } from '../ledger/payment-ledger.service.js';
import { PaystackClient } from '../paystack/paystack.client.js';
import { PaystackError } from '../paystack/paystack.errors.js';
import type { VerifiedTransaction } from '../paystack/paystack-wire.js';
import { PaymentSettingsService } from '../settings/payment-settings.service.js';
import { findAttempt, lockPendingEvent, settleEvent, type StoredEvent } from './stored-events.js';

/**
 * `charge.success`: a webhook is only a hint. The payment is confirmed with Paystack's
 * verify call, with this tenant's key and outside any transaction, for a reference this
 * tenant issued; then the ledger applies it (or keeps it for review) under the order lock.
 */
@Injectable()
export class ChargeSuccessHandler {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly settings: PaymentSettingsService,
    private readonly paystack: PaystackClient,
    private readonly ledger: PaymentLedger,
    private readonly staff: StaffNotices,
  ) {}

  /** Transient verify failures are thrown, for the job to retry and the sweeper after it. */
  async handle(scope: TenantScope, event: StoredEvent): Promise<void> {
    const { reference } = event;
    const found = await this.tenantDb.run(scope, async (tx) => ({
      key: await this.settings.paystackKeyIn(tx, scope),
      attempt: reference ? await findAttempt(tx, scope, reference) : undefined,
    }));
    // Another business's payment posted to this URL, or a link we never made.
    if (!reference || !found.attempt) return this.settle(scope, event, 'ignored', 'unknown_reference');
    const { attempt } = found;
    if (!found.key) return this.settle(scope, event, 'failed', 'no_key', attempt);

    let verified: VerifiedTransaction;
    try {
      verified = await this.paystack.verify(found.key, reference);
    } catch (error) {
      if (error instanceof PaystackError && !error.transient) {
        return this.settle(scope, event, 'failed', `verify_failed:${error.code}`, attempt);
      }
      throw error;
    }
    const claimedTenant = verified.metadata.tenant_id;
    if (verified.reference !== reference || (claimedTenant !== undefined && claimedTenant !== scope.tenantId)) {
      return this.settle(scope, event, 'ignored', 'verify_mismatch');
    }
    if (verified.status !== 'success') return this.settle(scope, event, 'ignored', `not_successful:${verified.status}`);

    await this.tenantDb.run(scope, async (tx) => {
      if (!(await lockPendingEvent(tx, scope, event.id))) return;
      const { outcome } = await this.ledger.record(tx, scope, {
        orderId: attempt.orderId,
        provider: 'paystack',
        reference,
        amountMinor: verified.amountMinor,
        currency: verified.currency,
        paidAt: verified.paidAt ?? new Date(),
        providerTransactionId: verified.id,
        eventId: event.id,
      });
      await settleEvent(tx, scope, event.id, 'applied', outcome);
    });
  }

  /** Settles without applying; a payment that may be real but cannot be checked goes to staff. */
  private async settle(
    scope: TenantScope,
    event: StoredEvent,
    status: 'ignored' | 'failed',
    outcome: string,
    attempt?: { orderId: string; orderNumber: number },
  ): Promise<void> {
    await this.tenantDb.run(scope, async (tx) => {
      if (!(await lockPendingEvent(tx, scope, event.id))) return;
      await settleEvent(tx, scope, event.id, status, outcome);
      if (status === 'failed' && attempt) {
        await this.staff.alert(tx, scope, {
          kind: 'payment_review',
          orderId: attempt.orderId,
          summary:
            `Paystack reported a payment for order #${attempt.orderNumber} that could not be verified (${outcome}). ` +
            `Check it in the Paystack dashboard before releasing the order.`,
        });
      }
    });
  }
}
