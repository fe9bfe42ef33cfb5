import { Injectable } from '@nestjs/common';
import { TenantDb } from '../../database/tenant-db.js';
import { InvoiceLinkSigner } from './invoice-link-signer.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { invoiceDetail } from './invoice-queries.js';
import type { InvoicePdf } from './staff-invoices.service.js';

/** The PDF behind a signed link a customer opens from the chat. */
@Injectable()
export class PublicInvoicesService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly links: InvoiceLinkSigner,
  ) {}

  /** `not_found` for a bad token or an invoice that is gone, `link_expired` for a genuine one past its time. */
  async open(token: string): Promise<InvoicePdf> {
    const { tenantId, invoiceId } = this.links.verify(token);
    // The tenant comes from the signed token only, so row-level security scopes the read to it.
    const invoice = await this.tenantDb.run({ tenantId }, (tx) => invoiceDetail(tx, { tenantId }, invoiceId));
    return { filename: `${invoice.number}.pdf`, pdf: await renderInvoicePdf(invoice) };
  }
}
