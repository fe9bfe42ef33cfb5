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
