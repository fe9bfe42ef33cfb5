import { Injectable } from '@nestjs/common';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { StaffNotices } from '../../notifications/staff-notices/staff-notices.service.js';
import { PaymentLedger } from '../ledger/payment-ledger.service.js';
import { PaystackClient } from '../paystack/paystack.client.js';
import { PaystackError } from '../paystack/paystack.errors.js';
import type { VerifiedTransaction } from '../paystack/paystack-wire.js';
import { PaymentSettingsService } from '../settings/payment-settings.service.js';
import { unappliedPaymentSummary } from './event-notices.js';
import { PaymentNotFinal } from './event-retry-policy.js';
import { findAttempt, lockPendingEvent, settleEvent, type StoredEvent } from './stored-events.js';
import { verifyVerdict } from './verify-verdict.js';

type Attempt = { orderId: string; orderNumber: number };

/**
 * `charge.success`: a webhook is only a hint. The payment is confirmed with Paystack's
 * verify call, with this tenant's key and outside any transaction, for a reference this
 * tenant issued; then the ledger applies it (or keeps it for review) under the order lock.
 * The webhook body's amount and currency are never used: only verify's.
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

  /**
   * Transient verify failures and payments Paystack still works on are thrown, for the
   * job to retry and the sweeper after it (`PaymentEventApplier` bounds how long).
   */
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

    const verified = await this.verify(found.key, reference);
    if (typeof verified === 'string') return this.settle(scope, event, 'failed', verified, attempt);
    const verdict = verifyVerdict(verified, { reference, tenantId: scope.tenantId });
    switch (verdict.kind) {
      case 'not_final':
        throw new PaymentNotFinal(verdict.status);
      case 'settle':
        return this.settle(scope, event, verdict.status, verdict.outcome, attempt);
      case 'apply':
        return this.apply(scope, event, attempt, verified);
    }
  }

  /** Verify's answer, or the outcome code of a permanent refusal; transient failures are thrown. */
  private async verify(key: string, reference: string): Promise<VerifiedTransaction | string> {
    try {
      return await this.paystack.verify(key, reference);
    } catch (error) {
      if (error instanceof PaystackError && !error.transient) return `verify_failed:${error.code}`;
      throw error;
    }
  }

  private async apply(scope: TenantScope, event: StoredEvent, attempt: Attempt, verified: VerifiedTransaction) {
    await this.tenantDb.run(scope, async (tx) => {
      if (!(await lockPendingEvent(tx, scope, event.id))) return;
      const { outcome } = await this.ledger.record(tx, scope, {
        orderId: attempt.orderId,
        provider: 'paystack',
        reference: verified.reference,
        amountMinor: verified.amountMinor,
        currency: verified.currency,
        paidAt: verified.paidAt ?? new Date(),
        providerTransactionId: verified.id,
        eventId: event.id,
      });
      await settleEvent(tx, scope, event.id, 'applied', outcome);
    });
  }

  /** Settles without applying; a payment that may be real but was not applied goes to staff. */
  private async settle(
    scope: TenantScope,
    event: StoredEvent,
    status: 'ignored' | 'failed',
    outcome: string,
    attempt?: Attempt,
  ): Promise<void> {
    await this.tenantDb.run(scope, async (tx) => {
      if (!(await lockPendingEvent(tx, scope, event.id))) return;
      await settleEvent(tx, scope, event.id, status, outcome);
      if (status === 'failed' && attempt) {
        await this.staff.alert(tx, scope, {
          kind: 'payment_review',
          orderId: attempt.orderId,
          summary: unappliedPaymentSummary(attempt.orderNumber, outcome),
        });
      }
    });
  }
}
