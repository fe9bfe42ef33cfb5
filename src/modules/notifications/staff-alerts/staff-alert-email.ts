export interface StaffAlertEmailInput {
  businessName: string;
  /** Where the conversation is read and taken. */
  link: string;
  waitingSince: Date;
  now: Date;
}

/**
 * The e-mail staff receive about a waiting customer. It names the business and links to
 * the conversation, and carries nothing the customer wrote: mail leaves our control, so
 * the conversation itself is read behind sign-in.
 */
export function staffAlertEmail(input: StaffAlertEmailInput): { subject: string; text: string } {
  const business = oneLine(input.businessName);
  return {
    subject: `A customer is waiting: ${business}`,
    text: [
      `A customer of ${business} asked to talk to a person ${waited(input.waitingSince, input.now)}, and nobody has taken the conversation yet.`,
      '',
      `Open the conversation: ${input.link}`,
      '',
      `You receive this because you are a member of ${business} on Hawker.`,
      '',
    ].join('\n'),
  };
}

// A business name is free text: no line break may reach a header or reshape the message.
function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}

function waited(since: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - since.getTime()) / 60_000);
  if (minutes < 1) return 'less than a minute ago';
  if (minutes === 1) return 'a minute ago';
  if (minutes < 120) return `${minutes} minutes ago`;
  return `${Math.floor(minutes / 60)} hours ago`;
}
