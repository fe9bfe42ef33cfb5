import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import type { OrderDetailView } from '../../commerce/orders/order.views.js';
import { OrdersService } from '../../commerce/orders/orders.service.js';
import { CustomerNotifications } from '../../notifications/customer/customer-notifications.service.js';
import { StaffNotices } from '../../notifications/staff-notices/staff-notices.service.js';
import type { PaymentRequestJob } from '../payments.queue.js';
import { PaystackClient } from '../paystack/paystack.client.js';
import { PaystackError } from '../paystack/paystack.errors.js';
import type { InitializedTransaction } from '../paystack/paystack-wire.js';
import type { PaymentOptions } from '../settings/payment-methods.js';
import { PaymentSettingsService } from '../settings/payment-settings.service.js';
import { awaitsPayment, newPaystackReference, placeholderEmail, type PaymentRequestOutcome } from './payment-link.js';

/** What the first transaction leaves for the Paystack call made between the two. */
interface NeedsLink {
  tenantId: string;
  requestId: string;
  requestedAt: Date;
  order: OrderDetailView;
  options: PaymentOptions & { paystackSecretKey: string };
}

interface OpenRequest {
  order: OrderDetailView;
  createdAt: Date;
}

/**
 * How long a request waits for Paystack to come back before the customer gets the other
 * way to pay (or staff are asked to step in): a short outage should still end in a link.
 * Past the job's own retries, the sweeper runs it again every few minutes.
 */
export const PAYSTACK_OUTAGE_PATIENCE_MS = 6 * 60 * 60 * 1000;

interface NewLink extends InitializedTransaction {
  reference: string;
}

/**
 * Sends the customer of a payment request a way to pay: a Paystack checkout link (reused
 * while the order's amount is unchanged), bank-transfer instructions, or both; or, with
 * neither, a word that the business will be in touch, and an alert to staff. Two short
 * transactions around the Paystack call, never one around it.
 */
@Injectable()
export class PaymentLinksService {
  private readonly logger = new Logger(PaymentLinksService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly settings: PaymentSettingsService,
    private readonly orders: OrdersService,
    private readonly paystack: PaystackClient,
    private readonly customers: CustomerNotifications,
    private readonly staff: StaffNotices,
    private readonly config: AppConfig,
  ) {}

  /**
   * A transient Paystack failure is thrown, leaving the request open for Bull's retries and
   * then the sweeper's, until the request is older than `PAYSTACK_OUTAGE_PATIENCE_MS`:
   * then the last attempt falls back to what else the business offers.
   */
  async send(job: PaymentRequestJob, finalAttempt: boolean): Promise<void> {
    const scope = { tenantId: job.tenantId };
    const pending = await this.tenantDb.run(scope, (tx) => this.sendWithoutCalling(tx, scope, job.requestId));
    if (!pending) return;
    let link: NewLink | undefined;
    let failure: PaystackError | undefined;
    try {
      link = await this.createLink(pending);
    } catch (error) {
      if (!(error instanceof PaystackError) || (error.transient && !(finalAttempt && outOfPatience(pending)))) {
        throw error;
      }
      failure = error;
      this.logger.warn({ tenantId: job.tenantId, code: error.code }, 'no Paystack link; falling back');
    }
    await this.tenantDb.run(scope, async (tx) => {
      const order = (await this.openRequest(tx, scope, pending.requestId))?.order;
      if (!order) return;
      if (link) await this.storeAttempt(tx, scope, order, link);
      await this.deliver(tx, scope, pending.requestId, order, pending.options, {
        url: link?.authorizationUrl,
        failure,
      });
    });
  }

  /**
   * Handles the request in this transaction when no Paystack call is needed; otherwise
   * returns what the call needs.
   */
  private async sendWithoutCalling(
    tx: EntityManager,
    scope: TenantScope,
    requestId: string,
  ): Promise<NeedsLink | undefined> {
    const request = await this.openRequest(tx, scope, requestId);
    if (!request) return undefined;
    const { order } = request;
    const options = await this.settings.optionsIn(tx, scope);
    const { paystackSecretKey } = options;
    if (!options.methods.includes('paystack') || !paystackSecretKey || order.totalMinor === 0) {
      await this.deliver(tx, scope, requestId, order, options, {});
      return undefined;
    }
    const url = await this.reusableLink(tx, scope, order);
    if (url) {
      await this.deliver(tx, scope, requestId, order, options, { url });
      return undefined;
    }
    await this.markAttempted(tx, scope, requestId);
    return {
      tenantId: scope.tenantId,
      requestId,
      requestedAt: request.createdAt,
      order,
      options: { ...options, paystackSecretKey },
    };
  }

  /** The sweeper leaves a request alone for a while after a job last called Paystack for it. */
  private async markAttempted(tx: EntityManager, scope: TenantScope, requestId: string): Promise<void> {
    await tx.query(`UPDATE payment_requests SET attempted_at = now() WHERE tenant_id = $1 AND id = $2`, [
      scope.tenantId,
      requestId,
    ]);
  }

  /**
   * The request's order, locked, when the request still needs handling. A request for an
   * order that is cancelled or already paid is closed here and sends nothing.
   */
  private async openRequest(
    tx: EntityManager,
    scope: TenantScope,
    requestId: string,
  ): Promise<OpenRequest | undefined> {
    const [request] = await tx.query<{ orderId: string; createdAt: Date; processedAt: Date | null }[]>(
      `SELECT order_id AS "orderId", created_at AS "createdAt", processed_at AS "processedAt" FROM payment_requests
        WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [scope.tenantId, requestId],
    );
    if (!request || request.processedAt) return undefined;
    const order = await this.orders.lock(tx, scope, request.orderId);
    if (awaitsPayment(order)) return { order, createdAt: request.createdAt };
    await this.close(tx, scope, requestId, 'skipped');
    return undefined;
  }

  /**
   * The order's newest link while it is for the amount still due and was made with the
   * current settings (a key changed since, e.g. from test to live, needs a new link).
   */
  private async reusableLink(tx: EntityManager, scope: TenantScope, order: OrderDetailView) {
    const [attempt] = await tx.query<{ url: string }[]>(
      `SELECT a.authorization_url AS url FROM payment_attempts a
         JOIN payment_settings s ON s.tenant_id = a.tenant_id
        WHERE a.tenant_id = $1 AND a.order_id = $2 AND a.amount_minor = $3 AND a.currency = $4
          AND a.created_at > s.updated_at
        ORDER BY a.created_at DESC LIMIT 1`,
      [scope.tenantId, order.id, order.totalMinor, order.currency],
    );
    return attempt?.url;
  }

  private async createLink({ tenantId, order, options }: NeedsLink): Promise<NewLink> {
    const reference = newPaystackReference(order);
    const created = await this.paystack.initialize(options.paystackSecretKey, {
      email: placeholderEmail(order, this.config.paystack.customerEmailDomain),
      amount: order.totalMinor,
      currency: order.currency,
      reference,
      metadata: { tenant_id: tenantId, order_id: order.id, order_number: order.number },
    });
    // The link pays our reference, whatever Paystack echoes back.
    return { ...created, reference };
  }

  private async storeAttempt(tx: EntityManager, scope: TenantScope, order: OrderDetailView, link: NewLink) {
    await tx.query(
      `INSERT INTO payment_attempts (tenant_id, order_id, provider, reference, amount_minor, currency,
                                     authorization_url, access_code)
       VALUES ($1, $2, 'paystack', $3, $4, $5, $6, $7)`,
      [
        scope.tenantId,
        order.id,
        link.reference,
        order.totalMinor,
        order.currency,
        link.authorizationUrl,
        link.accessCode,
      ],
    );
  }

  /** Tells the customer what they can pay with, and staff when that is nothing. */
  private async deliver(
    tx: EntityManager,
    scope: TenantScope,
    requestId: string,
    order: OrderDetailView,
    options: PaymentOptions,
    link: { url?: string; failure?: PaystackError },
  ): Promise<void> {
    const { url, failure } = link;
    const bankTransferInstructions = options.methods.includes('bank_transfer')
      ? options.bankTransferInstructions
      : undefined;
    const outcome: PaymentRequestOutcome = url
      ? 'paystack_link'
      : bankTransferInstructions
        ? 'bank_transfer'
        : 'no_method';
    if (url && (order.paymentStatus === 'unpaid' || order.paymentStatus === 'failed')) {
      await this.orders.setPaymentStatus(tx, scope, order.id, 'pending');
    }
    const summary = staffSummary(order.number, outcome, failure);
    if (summary) await this.staff.alert(tx, scope, { kind: 'payment_review', orderId: order.id, summary });
    await this.customers.record(tx, scope, {
      orderId: order.id,
      kind: 'payment_link',
      key: `payment_link:${requestId}`,
      payment: { ...(url ? { url } : {}), ...(bankTransferInstructions ? { bankTransferInstructions } : {}) },
    });
    await this.close(tx, scope, requestId, outcome, failure?.code);
  }

  private async close(
    tx: EntityManager,
    scope: TenantScope,
    requestId: string,
    outcome: PaymentRequestOutcome,
    failure?: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE payment_requests SET outcome = $3, failure = $4, processed_at = now() WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, requestId, outcome, failure?.slice(0, 200) ?? null],
    );
  }
}

/**
 * Staff hear when a customer was left without a way to pay, when Paystack refused to make
 * a link (a revoked or mistyped key would otherwise fail quietly on every order), and when
 * it stayed unreachable past our patience, so the customer got only the other way to pay.
 */
function staffSummary(orderNumber: number, outcome: PaymentRequestOutcome, failure?: PaystackError): string | null {
  const order = `Order #${orderNumber}:`;
  if (!failure) {
    return outcome === 'no_method'
      ? `${order} no payment method is set up, so the customer was told you will contact them about payment.`
      : null;
  }
  const paystack = failure.transient
    ? `Paystack could not be reached for hours (${failure.code}).`
    : `Paystack could not create a payment link (${failure.code}); check the Paystack key in the payment settings.`;
  if (outcome === 'no_method')
    return `${order} ${paystack} The customer has no way to pay yet: contact them about payment.`;
  return `${order} ${paystack} The customer was sent the bank-transfer instructions instead.`;
}

/** Whether the request has waited long enough for Paystack: its customer needs an answer. */
function outOfPatience(request: Pick<NeedsLink, 'requestedAt'>, now = new Date()): boolean {
  return now.getTime() - request.requestedAt.getTime() >= PAYSTACK_OUTAGE_PATIENCE_MS;
}
