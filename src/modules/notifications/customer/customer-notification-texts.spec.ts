import type { CustomerNotice } from './customer-notification.js';
import {
  noticeText,
  noticeTextWithInvoiceLink,
  type NoticeFacts,
  templateOrderParam,
  templateUpdate,
} from './customer-notification-texts.js';

const facts: NoticeFacts = {
  businessName: 'Mama Put',
  locale: 'en-NG',
  orderNumber: 1042,
  currency: 'NGN',
  totalMinor: 650_000,
  paid: false,
  pickup: false,
};
const notice = (kind: CustomerNotice['kind'], extra: Partial<CustomerNotice> = {}): CustomerNotice => ({
  orderId: 'o',
  kind,
  ...extra,
});
const invoice = {
  invoiceNumber: 'INV-2026-000042',
  link: 'https://api.example/v1/public/invoices/tok',
  filename: 'INV-2026-000042.pdf',
};

describe('noticeText', () => {
  it('names the business, the order number and the total in the tenant’s format', () => {
    expect(noticeText(notice('order_confirmed'), facts)).toBe(
      'Mama Put has confirmed your order #1042 (total ₦6,500.00).',
    );
    expect(noticeText(notice('payment_received', { amountMinor: 150_000 }), facts)).toBe(
      'Mama Put received your payment of ₦1,500.00 for order #1042. Your order is confirmed. Thank you!',
    );
  });

  it('formats amounts with the tenant’s locale and the order’s currency', () => {
    const text = noticeText(notice('order_confirmed'), {
      ...facts,
      locale: 'de-DE',
      currency: 'EUR',
      totalMinor: 123_456,
    });
    expect(text).toContain('1.234,56');
    expect(text).toContain('€');
  });

  it('still speaks when the tenant’s locale is unknown to Intl', () => {
    expect(noticeText(notice('order_confirmed'), { ...facts, locale: 'not a locale!' })).toContain('6,500.00');
  });

  it('gives the payment link and the bank-transfer instructions with the order as reference', () => {
    const text = noticeText(
      notice('payment_link', {
        payment: {
          url: 'https://checkout.paystack.com/abc',
          bankTransferInstructions: 'GTBank 0123456789\nMama Put Ltd',
        },
      }),
      facts,
    );
    expect(text).toContain('please pay ₦6,500.00');
    expect(text).toContain('Pay securely here: https://checkout.paystack.com/abc');
    expect(text).toContain('Or pay by bank transfer:\nGTBank 0123456789\nMama Put Ltd');
    expect(text).toContain('use 1042 as the payment reference');
  });

  it('speaks of pickup for an order the customer collects, and of a refund for a paid cancelled order', () => {
    expect(noticeText(notice('out_for_delivery'), { ...facts, pickup: true })).toContain('ready for pickup');
    expect(noticeText(notice('out_for_delivery'), facts)).toContain('on its way');
    expect(noticeText(notice('order_cancelled'), { ...facts, paid: true })).toContain(
      'will contact you about your refund',
    );
    expect(noticeText(notice('order_cancelled'), facts)).not.toContain('refund');
    expect(noticeText(notice('checkout_expired'), facts)).toContain('did not arrive in time');
  });

  it('adds the invoice as a link where no document can carry it', () => {
    const text = noticeTextWithInvoiceLink(notice('order_confirmed', { invoice }), facts);
    expect(text).toContain(`Your invoice INV-2026-000042: ${invoice.link}`);
    expect(noticeText(notice('order_confirmed', { invoice }), facts)).not.toContain(invoice.link);
  });

  it('has words for every kind, and never a placeholder', () => {
    for (const kind of [
      'payment_link',
      'payment_received',
      'order_confirmed',
      'order_processing',
      'out_for_delivery',
      'delivered',
      'order_cancelled',
      'checkout_expired',
    ] as const) {
      for (const text of [noticeText(notice(kind), facts), templateUpdate(notice(kind), facts)]) {
        expect(text.length).toBeGreaterThan(10);
        expect(text).not.toMatch(/undefined|null|NaN|\$\{|\{\{/);
      }
    }
  });
});

describe('templateUpdate', () => {
  it('is one line without tabs or runs of spaces, as Meta requires of a parameter', () => {
    const update = templateUpdate(
      notice('payment_link', {
        payment: { url: 'https://pay.example/x', bankTransferInstructions: 'Bank:\tGTB\n\n   0123' },
      }),
      { ...facts, businessName: 'Mama\nPut' },
    );
    expect(update).not.toMatch(/[\n\r\t]| {2,}/);
    expect(update).toContain('https://pay.example/x');
    expect(update).toContain('Bank transfer: Bank: GTB 0123');
  });

  it('carries the invoice link, and stays within a parameter’s length', () => {
    expect(templateUpdate(notice('order_confirmed', { invoice }), facts)).toContain(invoice.link);
    const long = templateUpdate(
      notice('payment_link', { payment: { bankTransferInstructions: 'x'.repeat(5000) } }),
      facts,
    );
    expect(long.length).toBeLessThanOrEqual(700);
  });

  it('leaves the order number to the first parameter', () => {
    expect(templateOrderParam(facts)).toBe('1042');
    expect(templateUpdate(notice('delivered'), facts)).toBe('Delivered. Thank you for your order!');
  });
});
