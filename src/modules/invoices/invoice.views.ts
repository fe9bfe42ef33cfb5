import type { OrderDelivery } from '../commerce/orders/order-delivery.js';
import { safeNumber } from '../commerce/orders/order.views.js';

export const INVOICE_STATUSES = ['issued', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface InvoiceView {
  id: string;
  /** Per-tenant and gapless, e.g. `INV-2026-000042`. */
  number: string;
  orderId: string;
  orderNumber: number;
  status: InvoiceStatus;
  currency: string;
  totalMinor: number;
  issuedAt: string;
  paidAt: string | null;
}

export interface InvoiceLineView {
  name: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

/** An invoice with everything it says, as it was issued. */
export interface InvoiceDetailView extends InvoiceView {
  voidedAt: string | null;
  businessName: string;
  locale: string;
  timezone: string;
  customer: OrderDelivery;
  subtotalMinor: number;
  lines: InvoiceLineView[];
}

/** The columns of `invoices` as InvoiceRow has them; `i` is the table's alias. */
export const INVOICE_COLUMNS = `i.id, i.number, i.order_id AS "orderId", i.order_number AS "orderNumber", i.status,
  i.currency, i.total_minor AS "totalMinor", i.issued_at AS "issuedAt", i.paid_at AS "paidAt"`;

export const INVOICE_DETAIL_COLUMNS = `${INVOICE_COLUMNS}, i.voided_at AS "voidedAt",
  i.business_name AS "businessName", i.locale, i.timezone, i.customer_name AS "customerName",
  i.customer_phone AS "customerPhone", i.customer_address AS "customerAddress", i.subtotal_minor AS "subtotalMinor"`;

/** An `invoices` row as pg returns it: bigint as text, timestamps as Date. */
export interface InvoiceRow {
  id: string;
  number: string;
  orderId: string;
  orderNumber: string;
  status: InvoiceStatus;
  currency: string;
  totalMinor: string;
  issuedAt: Date;
  paidAt: Date | null;
}

export interface InvoiceDetailRow extends InvoiceRow {
  voidedAt: Date | null;
  businessName: string;
  locale: string;
  timezone: string;
  customerName: string;
  customerPhone: string;
  customerAddress: string | null;
  subtotalMinor: string;
}

export interface InvoiceLineRow {
  name: string;
  quantity: number;
  unitPriceMinor: string;
  lineTotalMinor: string;
}

export function toInvoiceView(row: InvoiceRow): InvoiceView {
  return {
    id: row.id,
    number: row.number,
    orderId: row.orderId,
    orderNumber: safeNumber(row.orderNumber),
    status: row.status,
    currency: row.currency,
    totalMinor: safeNumber(row.totalMinor),
    issuedAt: row.issuedAt.toISOString(),
    paidAt: row.paidAt?.toISOString() ?? null,
  };
}

export function toInvoiceDetailView(row: InvoiceDetailRow, lines: InvoiceLineRow[]): InvoiceDetailView {
  const { customerName: name, customerPhone: phone, customerAddress: address } = row;
  return {
    ...toInvoiceView(row),
    voidedAt: row.voidedAt?.toISOString() ?? null,
    businessName: row.businessName,
    locale: row.locale,
    timezone: row.timezone,
    customer: address === null ? { name, phone, pickup: true } : { name, phone, address },
    subtotalMinor: safeNumber(row.subtotalMinor),
    lines: lines.map((line) => ({
      name: line.name,
      quantity: line.quantity,
      unitPriceMinor: safeNumber(line.unitPriceMinor),
      lineTotalMinor: safeNumber(line.lineTotalMinor),
    })),
  };
}
