import type { StaffNoticeKind } from './staff-notice.js';

/** E-mail the business's members about an order that needs a person. */
export interface StaffNoticeJob {
  tenantId: string;
  orderId: string;
  kind: StaffNoticeKind;
  /** One line, written by the module that raised the notice; no personal data. */
  summary: string;
}

export const STAFF_NOTICE_JOB = 'staff_notice';
