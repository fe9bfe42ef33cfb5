/** What a customer hears about an order, each at most once per order unless keyed apart. */
export const CUSTOMER_NOTIFICATION_KINDS = [
  'payment_link',
  'payment_received',
  'order_confirmed',
  'order_processing',
  'out_for_delivery',
  'delivered',
  'order_cancelled',
  'checkout_expired',
] as const;
export type CustomerNotificationKind = (typeof CUSTOMER_NOTIFICATION_KINDS)[number];

/** An invoice the customer can open: sent as a document on WhatsApp, as a link elsewhere. */
export interface InvoiceAttachment {
  invoiceNumber: string;
  link: string;
  filename: string;
}

export interface CustomerNotice {
  orderId: string;
  kind: CustomerNotificationKind;
  /**
   * The once-only key within the order; defaults to the kind. A send that may repeat (the
   * payment link the customer asked for again) gives each its own key.
   */
  key?: string;
  invoice?: InvoiceAttachment;
  /** For `payment_link`: a checkout URL, bank-transfer instructions, or both. */
  payment?: { url?: string; bankTransferInstructions?: string };
  /** For `payment_received`: what was paid, in the order's currency. */
  amountMinor?: number;
}
