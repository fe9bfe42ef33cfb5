import { Injectable, OnModuleInit } from '@nestjs/common';
import { TenantDb } from '../../database/tenant-db.js';
import {
  type ExportContributor,
  ExportContributors,
  type ExportFile,
  type ExportSubject,
} from '../privacy/export/export-contributors.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { invoiceDetail } from './invoice-queries.js';

const PAGE = 50;

/** The invoice PDFs of a privacy export (all the business's, or one contact's). */
@Injectable()
export class InvoiceExportContributor implements ExportContributor, OnModuleInit {
  readonly folder = 'invoices';

  constructor(
    private readonly contributors: ExportContributors,
    private readonly tenantDb: TenantDb,
  ) {}

  onModuleInit(): void {
    this.contributors.register(this);
  }

  async count(subject: ExportSubject): Promise<number> {
    const [{ n }] = await this.tenantDb.run(subject, (tx) =>
      tx.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM invoices i WHERE ${WHERE}`, [
        subject.tenantId,
        subject.contactId ?? null,
      ]),
    );
    return n;
  }

  /** Oldest first, a page of ids per transaction and one PDF in memory at a time. */
  async *files(subject: ExportSubject): AsyncIterable<ExportFile> {
    for (let after: { issuedAt: string; id: string } | undefined; ;) {
      const page = await this.tenantDb.run(subject, (tx) =>
        tx.query<{ id: string; issuedAt: string }[]>(
          `SELECT i.id, i.issued_at::text AS "issuedAt" FROM invoices i
            WHERE ${WHERE} AND ($3::timestamptz IS NULL OR (i.issued_at, i.id) > ($3::timestamptz, $4::uuid))
            ORDER BY i.issued_at, i.id LIMIT $5`,
          [subject.tenantId, subject.contactId ?? null, after?.issuedAt ?? null, after?.id ?? null, PAGE],
        ),
      );
      for (const { id } of page) {
        const invoice = await this.tenantDb.run(subject, (tx) => invoiceDetail(tx, subject, id));
        yield { name: `${invoice.number}.pdf`, content: await renderInvoicePdf(invoice) };
      }
      if (page.length < PAGE) return;
      after = page[page.length - 1];
    }
  }
}

/** `$1` the tenant, `$2` the contact (null: all of the business's invoices). */
const WHERE = `i.tenant_id = $1 AND ($2::uuid IS NULL
  OR i.order_id IN (SELECT o.id FROM orders o WHERE o.tenant_id = $1 AND o.contact_id = $2::uuid))`;
