export type StaffNoticeKind = 'payment_review' | 'customer_unreachable';

export interface StaffNotice {
  kind: StaffNoticeKind;
  orderId: string;
  /** One line for the e-mail and the audit log: what happened and what staff should check. */
  summary: string;
}
