import { staffAlertEmail } from './staff-alert-email.js';

const link = 'https://api.hawker.example/v1/tenants/t/conversations/c';
const now = new Date('2025-01-01T12:00:00Z');

describe('staffAlertEmail', () => {
  it('names the business in the subject and links to the conversation', () => {
    const mail = staffAlertEmail({
      businessName: 'Mama Put',
      link,
      waitingSince: new Date(now.getTime() - 150_000),
      now,
    });
    expect(mail.subject).toBe('A customer is waiting: Mama Put');
    expect(mail.text).toContain(`Open the conversation: ${link}`);
    expect(mail.text).toContain('2 minutes ago');
    expect(mail.text).not.toMatch(/\{\{|\$\{|undefined|null/);
  });

  it('keeps a business name with line breaks out of the headers', () => {
    const mail = staffAlertEmail({ businessName: 'Evil\r\nBcc: victim@example.com', link, waitingSince: now, now });
    expect(mail.subject).toBe('A customer is waiting: Evil Bcc: victim@example.com');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('less than a minute ago');
  });

  it('speaks in hours for a long wait', () => {
    const mail = staffAlertEmail({
      businessName: 'Shop',
      link,
      waitingSince: new Date(now.getTime() - 3 * 3600_000),
      now,
    });
    expect(mail.text).toContain('3 hours ago');
  });
});
