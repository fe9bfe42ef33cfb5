import { staffNoticeEmail } from './staff-notice-email.js';

const link = 'https://api.hawker.example/v1/tenants/t/orders/o';

describe('staffNoticeEmail', () => {
  it('names the kind, the order and the business, and links to the order', () => {
    const mail = staffNoticeEmail({
      kind: 'payment_review',
      businessName: 'Mama Put',
      orderNumber: 1042,
      summary: 'Paid ₦5,000.00 but the order is ₦6,500.00: check the payment before confirming.',
      link,
    });
    expect(mail.subject).toBe('A payment needs review (order #1042): Mama Put');
    expect(mail.text).toContain('Paid ₦5,000.00 but the order is ₦6,500.00');
    expect(mail.text).toContain(`Open the order: ${link}`);
  });

  it('keeps line breaks of a business name or summary out of the headers and the body’s shape', () => {
    const mail = staffNoticeEmail({
      kind: 'customer_unreachable',
      businessName: 'Evil\r\nBcc: victim@example.com',
      orderNumber: null,
      summary: 'one\r\ntwo',
      link,
    });
    expect(mail.subject).toBe('A customer could not be told about their order: Evil Bcc: victim@example.com');
    expect(mail.text.split('\n')[0]).toBe('one two');
  });
});
