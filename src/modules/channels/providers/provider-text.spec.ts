import { truncateChars, truncateUtf8Bytes } from './provider-text.js';

describe('truncateChars', () => {
  it('leaves text within the limit untouched', () => {
    expect(truncateChars('Menu', 20)).toBe('Menu');
  });

  it('cuts long text and marks the cut with an ellipsis', () => {
    const cut = truncateChars('Jollof rice with chicken and plantain', 20);
    expect(cut).toBe('Jollof rice with ch…');
    expect(cut.length).toBeLessThanOrEqual(20);
  });

  it('never splits an emoji or a family emoji sequence', () => {
    const cut = truncateChars('ab👨‍👩‍👧cdefghijklmnop', 5);
    expect(cut).toBe('ab…');
    expect(cut).not.toContain('\uFFFD');
  });
});

describe('truncateUtf8Bytes', () => {
  it('keeps multi-byte text within the byte limit on a character boundary', () => {
    const cut = truncateUtf8Bytes('é'.repeat(600), 1000);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(1000);
    expect(cut.endsWith('…')).toBe(true);
    expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
    expect(cut.slice(0, -1)).toMatch(/^é+$/);
  });

  it('makes a bare cut when the limit is too small for the ellipsis', () => {
    expect(truncateUtf8Bytes('abcdef', 2)).toBe('ab');
  });
});
