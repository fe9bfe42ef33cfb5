import { AppError } from '../../common/errors/app-error.js';

/** The invoices module's stable error codes. */
export const InvoiceErrors = {
  /** Also for a foreign, malformed or tampered id or link: nothing tells them apart. */
  notFound: () => new AppError('not_found', 'not_found', 'Invoice not found'),
  linkExpired: () =>
    new AppError('gone', 'link_expired', 'This invoice link has expired; ask the business for a new one'),
  /** A cancelled order that was never invoiced gets no number now. */
  orderCancelled: () => new AppError('conflict', 'order_cancelled', 'A cancelled order cannot be invoiced'),
  /** A void invoice stays void: money for it is a matter for staff, not a status flip. */
  invoiceVoid: (number: string) =>
    new AppError('conflict', 'invoice_void', `Invoice ${number} is void and cannot be marked paid`, { number }),
};
