import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../database/tenant-db.js';
import type { InvoiceAttachment } from '../notifications/customer/customer-notification.js';
import type { InvoiceView } from './invoice.views.js';

/**
 * CONTRACT (to be implemented by the invoices work). Every method runs in the caller's
 * tenant transaction.
 */
@Injectable()
export class InvoicesService {
  /** The order's invoice, issued with the next number if it has none yet (idempotent). */
  async issueFor(_tx: EntityManager, _scope: TenantScope, _orderId: string): Promise<InvoiceView> {
    throw new Error('not implemented');
  }

  /** Marks the order's invoice paid (issuing it first if needed); idempotent. */
  async markPaid(_tx: EntityManager, _scope: TenantScope, _orderId: string, _paidAt: Date): Promise<InvoiceView> {
    throw new Error('not implemented');
  }

  /** A signed, expiring public link to the invoice's PDF, as the customer receives it. */
  attachmentFor(_scope: TenantScope, _invoice: InvoiceView): InvoiceAttachment {
    throw new Error('not implemented');
  }
}
