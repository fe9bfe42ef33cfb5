import type { OutboundPayload } from '../../channels/outbox/outbound-payload.js';
import { messagingWindow } from '../../channels/pipeline/messaging-window.js';
import type { CustomerNotice } from './customer-notification.js';
import {
  noticeText,
  noticeTextWithInvoiceLink,
  type NoticeFacts,
  templateOrderParam,
  templateUpdate,
} from './customer-notification-texts.js';

export type NoticeChannel = 'whatsapp' | 'instagram' | 'webchat';
export type DeliveredAs = 'text' | 'document' | 'template';

export interface WhatsAppTemplate {
  name: string;
  languageCode: string;
}

/** Where the customer is, as the order's conversation says. */
export interface NoticeRecipient {
  channel: NoticeChannel;
  /** False for a disconnected channel or one whose token Meta refused. */
  channelUsable: boolean;
  lastInboundAt: Date | null;
  /** The database's clock, against which the window is measured. */
  now: Date;
}

export type UndeliverableReason =
  | 'channel_unavailable'
  | 'whatsapp_window_closed'
  | 'instagram_window_closed'
  /** Not a plan's answer: sending failed with an error, again and again. */
  | 'delivery_failed';

export type NoticePlan =
  { send: true; deliveredAs: DeliveredAs; payload: OutboundPayload } | { send: false; reason: UndeliverableReason };

/**
 * A free-form message decided on now is sent a little later by the outbound worker. Near
 * the end of the window a template (or staff) is the surer way to reach the customer.
 */
export const WINDOW_MARGIN_MS = 5 * 60_000;

/**
 * How a notification reaches the customer: free-form inside the provider's window (on
 * WhatsApp the invoice as one document whose caption is the text), the business's
 * template on WhatsApp outside it, and otherwise not at all — staff are told instead.
 */
export function planNotice(
  notice: CustomerNotice,
  facts: NoticeFacts,
  recipient: NoticeRecipient,
  template: WhatsAppTemplate | null,
): NoticePlan {
  if (!recipient.channelUsable) return { send: false, reason: 'channel_unavailable' };
  const freeForm = freeFormPayload(notice, facts, recipient.channel);
  const window = messagingWindow(
    recipient.channel,
    freeForm.payload,
    recipient.lastInboundAt,
    false,
    recipient.now.getTime() + WINDOW_MARGIN_MS,
  );
  if (window.send) return { send: true, ...freeForm };
  if (recipient.channel === 'whatsapp') return fallbackPlan(notice, facts, recipient, template);
  // Web chat has no window: only Instagram is left, where an automated message has no way past it.
  return { send: false, reason: 'instagram_window_closed' };
}

/**
 * WhatsApp outside the window — found before sending, or told by Meta (131047) after a
 * free-form send: the business's template, or nothing when it has none.
 */
export function fallbackPlan(
  notice: CustomerNotice,
  facts: NoticeFacts,
  recipient: NoticeRecipient,
  template: WhatsAppTemplate | null,
): NoticePlan {
  if (!recipient.channelUsable) return { send: false, reason: 'channel_unavailable' };
  return template ? templatePlan(notice, facts, template) : { send: false, reason: 'whatsapp_window_closed' };
}

function templatePlan(notice: CustomerNotice, facts: NoticeFacts, template: WhatsAppTemplate): NoticePlan {
  return {
    send: true,
    deliveredAs: 'template',
    payload: {
      kind: 'template',
      name: template.name,
      languageCode: template.languageCode,
      bodyParams: [templateOrderParam(facts), templateUpdate(notice, facts)],
    },
  };
}

function freeFormPayload(
  notice: CustomerNotice,
  facts: NoticeFacts,
  channel: NoticeChannel,
): { deliveredAs: DeliveredAs; payload: OutboundPayload } {
  if (channel === 'whatsapp' && notice.invoice) {
    // One message, not two: the document carries the notification as its caption.
    const { link, filename } = notice.invoice;
    return {
      deliveredAs: 'document',
      payload: { kind: 'document', link, filename, caption: noticeText(notice, facts) },
    };
  }
  return { deliveredAs: 'text', payload: { kind: 'text', text: noticeTextWithInvoiceLink(notice, facts) } };
}

/** One line for staff: which update did not reach the customer, and why. */
export function undeliverableSummary(kinds: string[], orderNumber: number, reason: UndeliverableReason): string {
  const what = kinds.map((kind) => kind.replace(/_/g, ' ')).join(', ');
  switch (reason) {
    case 'channel_unavailable':
      return `Order #${orderNumber}: the customer was not told (${what}) because their channel is disconnected or needs reconnecting.`;
    case 'whatsapp_window_closed':
      return `Order #${orderNumber}: the customer was not told (${what}) because they last wrote on WhatsApp more than 24 hours ago and no message template is set in the notification settings.`;
    case 'instagram_window_closed':
      return `Order #${orderNumber}: the customer was not told (${what}) because they last wrote on Instagram more than 24 hours ago.`;
    case 'delivery_failed':
      return `Order #${orderNumber}: the customer was not told (${what}) because sending the message failed repeatedly.`;
  }
}
