import { mentionsHandoffKeyword } from './handoff.js';

describe('mentionsHandoffKeyword', () => {
  it('matches a keyword as a word or phrase, ignoring case and punctuation', () => {
    expect(mentionsHandoffKeyword('I want a REFUND!', ['refund'])).toBe(true);
    expect(mentionsHandoffKeyword('can I speak to the manager?', ['the manager'])).toBe(true);
  });

  it('does not match inside another word, or with no keywords', () => {
    expect(mentionsHandoffKeyword('it was refunded', ['refund'])).toBe(false);
    expect(mentionsHandoffKeyword('anything', [])).toBe(false);
    expect(mentionsHandoffKeyword('anything', ['  '])).toBe(false);
  });
});
