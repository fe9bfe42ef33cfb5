import { formatMoney } from '../../../common/money.js';
import type { CustomerNotice, InvoiceAttachment } from './customer-notification.js';

/** What a notification says, besides the notice itself: all of it read from the database. */
export interface NoticeFacts {
  businessName: string;
  /** The tenant's locale, for amounts (`en-NG`). */
  locale: string;
  orderNumber: number;
  /** The order's currency and total, in minor units. */
  currency: string;
  totalMinor: number;
  /** Whether the order was paid: a cancelled paid order promises a refund. */
  paid: boolean;
  /** Collected by the customer rather than delivered. */
  pickup: boolean;
}

/** A WhatsApp template's body parameter: one line, within what Meta accepts. */
const TEMPLATE_PARAM_MAX = 700;

/**
 * The words the customer reads, free-form (web chat, Instagram, WhatsApp inside its
 * window). Without the invoice: how that travels depends on the channel.
 */
export function noticeText(notice: CustomerNotice, facts: NoticeFacts): string {
  const business = oneLine(facts.businessName);
  const order = `#${facts.orderNumber}`;
  const total = money(facts.totalMinor, facts);
  switch (notice.kind) {
    case 'payment_link':
      return paymentText(notice, facts, business, total);
    case 'payment_received':
      // Payment confirms an order (a cancelled one goes to review instead): one message says both.
      return `${business} received your payment of ${money(notice.amountMinor ?? facts.totalMinor, facts)} for order ${order}. Your order is confirmed. Thank you!`;
    case 'order_confirmed':
      return `${business} has confirmed your order ${order} (total ${total}).`;
    case 'order_processing':
      return `Your order ${order} from ${business} is being prepared.`;
    case 'out_for_delivery':
      return facts.pickup
        ? `Your order ${order} from ${business} is ready for pickup.`
        : `Your order ${order} from ${business} is on its way to you.`;
    case 'delivered':
      return facts.pickup
        ? `Your order ${order} from ${business} has been picked up. Thank you for your order!`
        : `Your order ${order} from ${business} has been delivered. Thank you for your order!`;
    case 'order_cancelled':
      return [
        `Your order ${order} from ${business} has been cancelled.`,
        facts.paid ? `${business} will contact you about your refund.` : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'checkout_expired':
      return `Your order ${order} from ${business} was cancelled because the payment did not arrive in time. Send "menu" to order again.`;
  }
}

/** The free-form text with the invoice as a link: for channels without documents. */
export function noticeTextWithInvoiceLink(notice: CustomerNotice, facts: NoticeFacts): string {
  const text = noticeText(notice, facts);
  return notice.invoice ? `${text}\n\n${invoiceLine(notice.invoice)}` : text;
}

/**
 * The update for the business's WhatsApp template, whose body carries the order number
 * as {{1}} and this as {{2}}. Meta refuses a parameter with a line break, a tab or more
 * than four spaces in a row, so everything is folded onto one line.
 */
export function templateUpdate(notice: CustomerNotice, facts: NoticeFacts): string {
  const business = oneLine(facts.businessName);
  const total = money(facts.totalMinor, facts);
  const invoice = notice.invoice ? ` ${invoiceLine(notice.invoice)}` : '';
  let update: string;
  switch (notice.kind) {
    case 'payment_link': {
      const { url, bankTransferInstructions } = notice.payment ?? {};
      update = [
        `Payment of ${total} is due.`,
        url ? `Pay here: ${url}` : '',
        bankTransferInstructions ? `Bank transfer: ${bankTransferInstructions}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      break;
    }
    case 'payment_received':
      update = `${business} received your payment of ${money(notice.amountMinor ?? facts.totalMinor, facts)}. Your order is confirmed. Thank you!`;
      break;
    case 'order_confirmed':
      update = `Confirmed by ${business}. Total ${total}.`;
      break;
    case 'order_processing':
      update = `Being prepared by ${business}.`;
      break;
    case 'out_for_delivery':
      update = facts.pickup ? `Ready for pickup at ${business}.` : 'On its way to you.';
      break;
    case 'delivered':
      update = facts.pickup ? 'Picked up. Thank you for your order!' : 'Delivered. Thank you for your order!';
      break;
    case 'order_cancelled':
      update = facts.paid ? `Cancelled. ${business} will contact you about your refund.` : `Cancelled by ${business}.`;
      break;
    case 'checkout_expired':
      update = 'Cancelled: the payment did not arrive in time.';
      break;
  }
  return templateParam(`${update}${invoice}`);
}

/** The order number as the template's first parameter. */
export function templateOrderParam(facts: NoticeFacts): string {
  return String(facts.orderNumber);
}

export function invoiceLine(invoice: InvoiceAttachment): string {
  return `Your invoice ${oneLine(invoice.invoiceNumber)}: ${invoice.link}`;
}

function paymentText(notice: CustomerNotice, facts: NoticeFacts, business: string, total: string): string {
  const { url, bankTransferInstructions } = notice.payment ?? {};
  const lines = [`To complete your order #${facts.orderNumber} from ${business}, please pay ${total}.`];
  if (url) lines.push(`Pay securely here: ${url}`);
  if (bankTransferInstructions) {
    lines.push(
      `${url ? 'Or pay' : 'Pay'} by bank transfer:`,
      bankTransferInstructions.trim(),
      `Please use ${facts.orderNumber} as the payment reference.`,
    );
  }
  if (!url && !bankTransferInstructions) lines.push(`${business} will send you the payment details shortly.`);
  return lines.join('\n');
}

// A tenant's locale is their own setting: one Intl does not know must not stop a notification.
function money(amountMinor: number, facts: NoticeFacts): string {
  try {
    return formatMoney(amountMinor, facts.currency, facts.locale);
  } catch {
    return formatMoney(amountMinor, facts.currency, 'en');
  }
}

function templateParam(text: string): string {
  const line = oneLine(text);
  return line.length <= TEMPLATE_PARAM_MAX ? line : `${line.slice(0, TEMPLATE_PARAM_MAX - 1)}…`;
}

// Names and instructions are free text: control characters and runs of spaces go.
function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
