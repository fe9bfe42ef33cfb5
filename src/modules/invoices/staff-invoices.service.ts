import { Injectable } from '@nestjs/common';
import type { TenantContext } from '../../common/auth/roles.js';
import { decodeKeyset, Page, pageSize, positionOf, toKeysetPage } from '../../common/http/pagination.js';
import { TenantDb } from '../../database/tenant-db.js';
import { ListInvoicesQuery } from './dto/list-invoices.query.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { invoiceDetail } from './invoice-queries.js';
import { INVOICE_COLUMNS, InvoiceDetailView, InvoiceRow, InvoiceView, toInvoiceView } from './invoice.views.js';

export interface InvoicePdf {
  filename: string;
  pdf: Buffer;
}

/** Invoices as the business's members read them: one short tenant transaction per request. */
@Injectable()
export class StaffInvoicesService {
  constructor(private readonly tenantDb: TenantDb) {}

  /** Newest first (which is also highest number first). */
  list(ctx: TenantContext, query: ListInvoicesQuery): Promise<Page<InvoiceView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    const params: unknown[] = [ctx.tenantId, limit + 1];
    const where = ['i.tenant_id = $1'];
    if (query.status) where.push(`i.status = $${params.push(query.status)}`);
    if (after) {
      where.push(`(i.issued_at, i.id) < ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)`);
    }
    return this.tenantDb.run(ctx, async (tx) => {
      const rows = await tx.query<(InvoiceRow & { position: string })[]>(
        `SELECT ${INVOICE_COLUMNS}, ${positionOf('i.issued_at')} AS position
           FROM invoices i WHERE ${where.join(' AND ')}
          ORDER BY i.issued_at DESC, i.id DESC LIMIT $2`,
        params,
      );
      return toKeysetPage(rows, limit, toInvoiceView);
    });
  }

  get(ctx: TenantContext, invoiceId: string): Promise<InvoiceDetailView> {
    return this.tenantDb.run(ctx, (tx) => invoiceDetail(tx, ctx, invoiceId));
  }

  /** Rendered outside the transaction: drawing a PDF holds no database connection. */
  async pdf(ctx: TenantContext, invoiceId: string): Promise<InvoicePdf> {
    const invoice = await this.get(ctx, invoiceId);
    return { filename: `${invoice.number}.pdf`, pdf: await renderInvoicePdf(invoice) };
  }
}
