import type { EntityManager } from 'typeorm';
import { isUuid } from '../../common/uuid.js';
import type { TenantScope } from '../../database/tenant-db.js';
import {
  INVOICE_COLUMNS,
  INVOICE_DETAIL_COLUMNS,
  InvoiceDetailRow,
  InvoiceDetailView,
  InvoiceLineRow,
  InvoiceRow,
  InvoiceView,
  toInvoiceDetailView,
  toInvoiceView,
} from './invoice.views.js';
import { InvoiceErrors } from './invoices.errors.js';

/** The order's invoice, or null when it has none. */
export async function findInvoiceOfOrder(
  tx: EntityManager,
  scope: TenantScope,
  orderId: string,
): Promise<InvoiceView | null> {
  if (!isUuid(orderId)) return null;
  const [row] = await tx.query<InvoiceRow[]>(
    `SELECT ${INVOICE_COLUMNS} FROM invoices i WHERE i.tenant_id = $1 AND i.order_id = $2`,
    [scope.tenantId, orderId],
  );
  return row ? toInvoiceView(row) : null;
}

/** An invoice with its lines; `not_found` for an id the tenant has no invoice under (or no uuid at all). */
export async function invoiceDetail(
  tx: EntityManager,
  scope: TenantScope,
  invoiceId: string,
): Promise<InvoiceDetailView> {
  if (!isUuid(invoiceId)) throw InvoiceErrors.notFound();
  const [row] = await tx.query<InvoiceDetailRow[]>(
    `SELECT ${INVOICE_DETAIL_COLUMNS} FROM invoices i WHERE i.tenant_id = $1 AND i.id = $2`,
    [scope.tenantId, invoiceId],
  );
  if (!row) throw InvoiceErrors.notFound();
  const lines = await tx.query<InvoiceLineRow[]>(
    `SELECT name, quantity, unit_price_minor AS "unitPriceMinor", line_total_minor AS "lineTotalMinor"
       FROM invoice_lines WHERE tenant_id = $1 AND invoice_id = $2 ORDER BY position`,
    [scope.tenantId, invoiceId],
  );
  return toInvoiceDetailView(row, lines);
}
