import { deletionStatusPage, escapeHtml, unknownRequestPage } from './deletion-status.page.js';

const base = {
  confirmationCode: 'ABCDEF0123456789',
  receivedAt: new Date('2026-11-22T10:00:00Z'),
  contactsFound: 2,
  businesses: 2,
  erasuresDone: 1,
  erasuresScheduled: 2,
};

describe('the data-deletion status page', () => {
  it('escapes every character that could open markup', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('shows the code, the day received and the progress while erasures run', () => {
    const page = deletionStatusPage(base);
    expect(page).toContain('<strong>ABCDEF0123456789</strong>');
    expect(page).toContain('Received: 2026-11-22 (UTC)');
    expect(page).toContain('Status: <strong>In progress</strong>');
    expect(page).toContain('Erasures completed: 1 of 2.');
  });

  it('calls the request completed once every erasure has run', () => {
    expect(deletionStatusPage({ ...base, erasuresDone: 2 })).toContain('Status: <strong>Completed</strong>');
  });

  it('says there was nothing to delete when no record was found', () => {
    const page = deletionStatusPage({
      ...base,
      contactsFound: 0,
      businesses: 0,
      erasuresDone: 0,
      erasuresScheduled: 0,
    });
    expect(page).toContain('Status: <strong>Completed</strong>');
    expect(page).toContain('nothing to delete');
    expect(page).not.toContain('Erasures completed');
  });

  it('has a page for an unknown code that echoes nothing', () => {
    expect(unknownRequestPage()).toContain('Request not found');
  });
});
