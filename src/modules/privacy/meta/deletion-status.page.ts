/** What the public status page of a Meta data-deletion request shows. */
export interface DeletionStatus {
  confirmationCode: string;
  receivedAt: Date;
  contactsFound: number;
  businesses: number;
  /** Erasures finished, and scheduled, of the businesses that still exist (a deleted one took all its data). */
  erasuresDone: number;
  erasuresScheduled: number;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/**
 * The page Meta links a person to, in plain HTML for a person to read. Every value is
 * escaped, though none comes from the visitor: the code was checked against the database.
 */
export function deletionStatusPage(status: DeletionStatus): string {
  const found =
    status.contactsFound === 0
      ? '<p>No data linked to your account was found, so there was nothing to delete.</p>'
      : `<p>We found ${status.contactsFound} customer record(s) linked to your account, kept by ` +
        `${status.businesses} business(es) that sell through Hawker. Their erasure was scheduled: your ` +
        'name, phone number, channel ids and messages are removed. Orders and invoices the businesses must keep ' +
        'by law stay, with your details replaced by a pseudonym.</p>';
  return page(
    'Data deletion request',
    `<p>Confirmation code: <strong>${escapeHtml(status.confirmationCode)}</strong></p>
<p>Received: ${escapeHtml(status.receivedAt.toISOString().slice(0, 10))} (UTC)</p>
<p>Status: <strong>${isComplete(status) ? 'Completed' : 'In progress'}</strong></p>
${found}
${progress(status)}`,
  );
}

function progress(status: DeletionStatus): string {
  if (status.erasuresScheduled === 0) return '';
  return `<p>Erasures completed: ${status.erasuresDone} of ${status.erasuresScheduled}.</p>`;
}

export function unknownRequestPage(): string {
  return page(
    'Request not found',
    '<p>No data deletion request has this confirmation code. Check the link you were given.</p>',
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

/**
 * Done when every record found was scheduled for erasure and every erasure has run: a
 * business whose scheduling failed (the callback answered 503 and Meta retries) keeps the
 * request in progress rather than claiming a deletion that did not happen.
 */
function isComplete(status: DeletionStatus): boolean {
  return status.erasuresScheduled >= status.contactsFound && status.erasuresDone === status.erasuresScheduled;
}
