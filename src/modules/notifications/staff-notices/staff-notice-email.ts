import type { StaffNoticeKind } from './staff-notice.js';

export interface StaffNoticeEmailInput {
  kind: StaffNoticeKind;
  businessName: string;
  orderNumber: number | null;
  summary: string;
  /** Where the order is read, behind sign-in. */
  link: string;
}

const SUBJECTS: Record<StaffNoticeKind, string> = {
  payment_review: 'A payment needs review',
  customer_unreachable: 'A customer could not be told about their order',
};

/**
 * The e-mail staff receive about an order that needs a person. It carries the summary
 * and a link, nothing the customer wrote: mail leaves our control.
 */
export function staffNoticeEmail(input: StaffNoticeEmailInput): { subject: string; text: string } {
  const business = oneLine(input.businessName, 120);
  const order = input.orderNumber === null ? '' : ` (order #${input.orderNumber})`;
  return {
    subject: `${SUBJECTS[input.kind]}${order}: ${business}`,
    text: [
      oneLine(input.summary, 500),
      '',
      `Open the order: ${input.link}`,
      '',
      `You receive this because you are a member of ${business} on Hawker.`,
      '',
    ].join('\n'),
  };
}

// Free text from the business and from other modules: no line break may reach a header.
function oneLine(text: string, max: number): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}
