import type { CustomerNotice } from './customer-notification.js';
import {
  planNotice,
  type NoticeRecipient,
  undeliverableSummary,
  WINDOW_MARGIN_MS,
} from './customer-notification-plan.js';
import type { NoticeFacts } from './customer-notification-texts.js';

const HOUR = 3_600_000;
const now = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const facts: NoticeFacts = {
  businessName: 'Mama Put',
  locale: 'en-NG',
  orderNumber: 1042,
  currency: 'NGN',
  totalMinor: 650_000,
  paid: true,
  pickup: false,
};
const invoice = {
  invoiceNumber: 'INV-2026-000042',
  link: 'https://api.example/i/tok',
  filename: 'INV-2026-000042.pdf',
};
const confirmed: CustomerNotice = { orderId: 'o', kind: 'order_confirmed', invoice };
const template = { name: 'order_update', languageCode: 'en_US' };
const on = (
  channel: NoticeRecipient['channel'],
  lastInboundAt: Date | null,
  channelUsable = true,
): NoticeRecipient => ({
  channel,
  channelUsable,
  lastInboundAt,
  now,
});

describe('planNotice', () => {
  it('sends the invoice on WhatsApp as one document captioned with the notification', () => {
    const plan = planNotice(confirmed, facts, on('whatsapp', ago(HOUR)), template);
    expect(plan).toEqual({
      send: true,
      deliveredAs: 'document',
      payload: {
        kind: 'document',
        link: invoice.link,
        filename: invoice.filename,
        caption: 'Mama Put has confirmed your order #1042 (total ₦6,500.00).',
      },
    });
  });

  it('sends free-form text inside the window, with the invoice as a link off WhatsApp', () => {
    for (const channel of ['webchat', 'instagram'] as const) {
      const plan = planNotice(confirmed, facts, on(channel, ago(HOUR)), null);
      expect(plan).toMatchObject({ send: true, deliveredAs: 'text', payload: { kind: 'text' } });
      expect(plan.send && plan.payload.kind === 'text' && plan.payload.text).toContain(invoice.link);
    }
    expect(planNotice({ orderId: 'o', kind: 'delivered' }, facts, on('whatsapp', ago(HOUR)), null)).toMatchObject({
      send: true,
      deliveredAs: 'text',
    });
  });

  it('answers web chat whenever, even a customer who never wrote', () => {
    expect(planNotice(confirmed, facts, on('webchat', null), null)).toMatchObject({ send: true });
    expect(planNotice(confirmed, facts, on('webchat', ago(30 * 24 * HOUR)), null)).toMatchObject({ send: true });
  });

  it('uses the template on WhatsApp outside the window, with the order number and a one-line update', () => {
    const plan = planNotice(confirmed, facts, on('whatsapp', ago(25 * HOUR)), template);
    expect(plan).toEqual({
      send: true,
      deliveredAs: 'template',
      payload: {
        kind: 'template',
        name: 'order_update',
        languageCode: 'en_US',
        bodyParams: ['1042', `Confirmed by Mama Put. Total ₦6,500.00. Your invoice INV-2026-000042: ${invoice.link}`],
      },
    });
  });

  it('prefers the template when the window closes before the message could go out', () => {
    const plan = planNotice(confirmed, facts, on('whatsapp', ago(24 * HOUR - WINDOW_MARGIN_MS / 2)), template);
    expect(plan).toMatchObject({ send: true, deliveredAs: 'template' });
  });

  it('gives up, for staff to act, without a template or on Instagram outside the window', () => {
    expect(planNotice(confirmed, facts, on('whatsapp', ago(25 * HOUR)), null)).toEqual({
      send: false,
      reason: 'whatsapp_window_closed',
    });
    expect(planNotice(confirmed, facts, on('whatsapp', null), null)).toEqual({
      send: false,
      reason: 'whatsapp_window_closed',
    });
    expect(planNotice(confirmed, facts, on('instagram', ago(25 * HOUR)), template)).toEqual({
      send: false,
      reason: 'instagram_window_closed',
    });
    expect(planNotice(confirmed, facts, on('whatsapp', ago(HOUR), false), template)).toEqual({
      send: false,
      reason: 'channel_unavailable',
    });
  });
});

describe('undeliverableSummary', () => {
  it('tells staff which updates did not reach whom and what to set up', () => {
    const summary = undeliverableSummary(['out_for_delivery', 'delivered'], 1042, 'whatsapp_window_closed');
    expect(summary).toBe(
      'Order #1042: the customer was not told (out for delivery, delivered) because they last wrote on WhatsApp more than 24 hours ago and no message template is set in the notification settings.',
    );
  });

  it('says when sending itself kept failing', () => {
    expect(undeliverableSummary(['payment_link'], 1042, 'delivery_failed')).toBe(
      'Order #1042: the customer was not told (payment link) because sending the message failed repeatedly.',
    );
  });
});
