import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';

export type StaffNoticeKind = 'payment_review' | 'customer_unreachable';

export interface StaffNotice {
  kind: StaffNoticeKind;
  orderId: string;
  /** One line for the e-mail and the audit log: what happened and what staff should check. */
  summary: string;
}

/**
 * CONTRACT (to be implemented by the notifications work): tells the business's members
 * about something that needs a person (a payment to review, a customer we cannot reach),
 * recorded in the caller's transaction and e-mailed after commit.
 */
@Injectable()
export class StaffNotices {
  async alert(_tx: EntityManager, _scope: TenantScope, _notice: StaffNotice): Promise<void> {
    throw new Error('StaffNotices.alert is not implemented yet');
  }
}
