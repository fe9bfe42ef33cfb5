/** Deliver an order's pending customer notifications, oldest first. Ids only. */
export interface CustomerNotificationJob {
  tenantId: string;
  orderId: string;
}

/** Distinct from the staff alert's: one queue, several processors, one name each. */
export const CUSTOMER_NOTIFICATION_JOB = 'customer_notification';
