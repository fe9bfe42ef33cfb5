import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { positionOf } from '../../common/http/pagination.js';
import { AppConfig } from '../../config/app-config.js';
import type { TenantScope } from '../../database/tenant-db.js';
import { safeNumber, type OrderDetailView } from '../commerce/orders/order.views.js';
import { OrdersService } from '../commerce/orders/orders.service.js';
import type { InvoiceAttachment } from '../notifications/customer/customer-notification.js';
import { InvoiceLinkSigner } from './invoice-link-signer.js';
import { invoiceNumber, yearIn } from './invoice-number.js';
import { findInvoiceOfOrder } from './invoice-queries.js';
import { INVOICE_COLUMNS, InvoiceRow, InvoiceView, toInvoiceView } from './invoice.views.js';
import { InvoiceErrors } from './invoices.errors.js';

interface Business {
  name: string;
  locale: string;
  timezone: string;
}

/**
 * Issues invoices and moves them between `issued`, `paid` and `void`. Every method runs in
 * the caller's tenant transaction and never opens one of its own. Each takes the order's
 * row lock first, so concurrent callers for one order take turns and agree.
 */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly orders: OrdersService,
    private readonly links: InvoiceLinkSigner,
    private readonly config: AppConfig,
  ) {}

  /**
   * The order's invoice, issued with the tenant's next number if it has none yet
   * (idempotent). What it says — business, customer, lines, totals — is copied now, so later
   * edits to the catalog or the business profile never rewrite it. `order_cancelled` for a
   * cancelled order that was never invoiced; `not_found` for an unknown order.
   */
  async issueFor(tx: EntityManager, scope: TenantScope, orderId: string): Promise<InvoiceView> {
    const order = await this.orders.lock(tx, scope, orderId);
    const existing = await findInvoiceOfOrder(tx, scope, order.id);
    if (existing) return existing;
    if (order.status === 'cancelled') throw InvoiceErrors.orderCancelled();
    const [business] = await tx.query<Business[]>(`SELECT name, locale, timezone FROM tenants WHERE id = $1`, [
      scope.tenantId,
    ]);
    if (!business) throw new Error(`Tenant ${scope.tenantId} has no profile`);

    // Taken last, just before the insert: the counter's row lock serialises every issue of
    // the tenant until commit, and a rollback gives the number back. The clock is read under
    // the lock, so issue times run in number order.
    // Kept as Postgres' text (microseconds), which a Date would cut to milliseconds.
    const [taken] = await tx.query<{ sequence: string; issuedAt: string }[]>(
      `INSERT INTO invoice_counters (tenant_id, next_sequence) VALUES ($1, 2)
       ON CONFLICT (tenant_id) DO UPDATE SET next_sequence = invoice_counters.next_sequence + 1
       RETURNING next_sequence - 1 AS sequence, ${positionOf('clock_timestamp()')} AS "issuedAt"`,
      [scope.tenantId],
    );
    const sequence = safeNumber(taken.sequence);
    const issuedAt = new Date(taken.issuedAt);
    const number = invoiceNumber(yearIn(issuedAt, business.timezone), sequence);
    const invoiceId = await this.insert(tx, scope, order, business, { sequence, number, issuedAt: taken.issuedAt });
    await this.insertLines(tx, scope, invoiceId, order);
    return {
      id: invoiceId,
      number,
      orderId: order.id,
      orderNumber: order.number,
      status: 'issued',
      currency: order.currency,
      totalMinor: order.totalMinor,
      issuedAt: issuedAt.toISOString(),
      paidAt: null,
    };
  }

  /**
   * Marks the order's invoice paid at `paidAt`, issuing it first if needed. Idempotent: an
   * invoice already paid keeps its first payment time. `invoice_void` when the order was
   * cancelled and its invoice voided: money for a cancelled order needs a person.
   */
  async markPaid(tx: EntityManager, scope: TenantScope, orderId: string, paidAt: Date): Promise<InvoiceView> {
    if (Number.isNaN(paidAt.getTime())) throw new RangeError('paidAt is not a valid date');
    const invoice = await this.issueFor(tx, scope, orderId);
    if (invoice.status === 'paid') return invoice;
    if (invoice.status === 'void') throw InvoiceErrors.invoiceVoid(invoice.number);
    // An UPDATE answers [rows, count].
    const [[row]] = await tx.query<[[InvoiceRow], number]>(
      `UPDATE invoices i SET status = 'paid', paid_at = $3
        WHERE i.tenant_id = $1 AND i.id = $2 AND i.status = 'issued'
        RETURNING ${INVOICE_COLUMNS}`,
      [scope.tenantId, invoice.id, paidAt],
    );
    return toInvoiceView(row);
  }

  /**
   * Voids the order's invoice when it is issued and unpaid; its number stays used, so the
   * sequence keeps no gaps. A paid invoice stays paid (a refund is recorded by payments).
   * Returns the invoice as it now is, or null when the order has none.
   */
  async voidFor(tx: EntityManager, scope: TenantScope, orderId: string): Promise<InvoiceView | null> {
    await this.orders.lock(tx, scope, orderId);
    const [[row]] = await tx.query<[[InvoiceRow?], number]>(
      `UPDATE invoices i SET status = 'void', voided_at = clock_timestamp()
        WHERE i.tenant_id = $1 AND i.order_id = $2 AND i.status = 'issued'
        RETURNING ${INVOICE_COLUMNS}`,
      [scope.tenantId, orderId],
    );
    return row ? toInvoiceView(row) : findInvoiceOfOrder(tx, scope, orderId);
  }

  /** The order's invoice, or null when none has been issued. */
  forOrder(tx: EntityManager, scope: TenantScope, orderId: string): Promise<InvoiceView | null> {
    return findInvoiceOfOrder(tx, scope, orderId);
  }

  /** A signed, expiring public link to the invoice's PDF, as the customer receives it. */
  attachmentFor(scope: TenantScope, invoice: InvoiceView): InvoiceAttachment {
    const token = this.links.sign({ tenantId: scope.tenantId, invoiceId: invoice.id });
    return {
      invoiceNumber: invoice.number,
      link: `${this.config.http.publicBaseUrl}/v1/public/invoices/${token}`,
      filename: `${invoice.number}.pdf`,
    };
  }

  private async insert(
    tx: EntityManager,
    scope: TenantScope,
    order: OrderDetailView,
    business: Business,
    numbering: { sequence: number; number: string; issuedAt: string },
  ): Promise<string> {
    const { delivery } = order;
    const [invoice] = await tx.query<{ id: string }[]>(
      `INSERT INTO invoices (tenant_id, order_id, sequence, number, order_number, business_name, locale, timezone,
                             customer_name, customer_phone, customer_address, currency, subtotal_minor, total_minor,
                             issued_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::timestamptz)
       RETURNING id`,
      [
        scope.tenantId,
        order.id,
        numbering.sequence,
        numbering.number,
        order.number,
        business.name,
        business.locale,
        business.timezone,
        delivery.name,
        delivery.phone,
        'address' in delivery ? delivery.address : null,
        order.currency,
        order.subtotalMinor,
        order.totalMinor,
        numbering.issuedAt,
      ],
    );
    return invoice.id;
  }

  private async insertLines(
    tx: EntityManager,
    scope: TenantScope,
    invoiceId: string,
    order: OrderDetailView,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO invoice_lines (tenant_id, invoice_id, position, name, quantity, unit_price_minor, line_total_minor)
       SELECT $1, $2, line.position, line.name, line.quantity, line.unit_price, line.line_total
         FROM unnest($3::text[], $4::int[], $5::bigint[], $6::bigint[])
              WITH ORDINALITY AS line (name, quantity, unit_price, line_total, position)`,
      [
        scope.tenantId,
        invoiceId,
        order.items.map((item) => item.name),
        order.items.map((item) => item.quantity),
        order.items.map((item) => item.unitPriceMinor),
        order.items.map((item) => item.lineTotalMinor),
      ],
    );
  }
}
