/**
 * Length limits for text sent to messaging providers. Meta rejects an over-long field
 * outright, so we shorten it ourselves; cutting on a grapheme boundary keeps an emoji or
 * an accented letter whole instead of leaving half a character on the customer's screen.
 */
const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

type Measure = (text: string) => number;

/**
 * Counts UTF-16 code units, which is never fewer than the characters a provider counts,
 * so a text within this limit is within theirs.
 */
const utf16Length: Measure = (text) => text.length;
const utf8Length: Measure = (text) => Buffer.byteLength(text, 'utf8');

export function truncateChars(text: string, maxChars: number): string {
  return truncateBy(text, maxChars, utf16Length);
}

export function truncateUtf8Bytes(text: string, maxBytes: number): string {
  return truncateBy(text, maxBytes, utf8Length);
}

function truncateBy(text: string, max: number, measure: Measure): string {
  if (measure(text) <= max) return text;
  const ellipsisSize = measure(ELLIPSIS);
  // A limit too small for the ellipsis gets a bare cut rather than nothing at all.
  const marker = max > ellipsisSize ? ELLIPSIS : '';
  const kept = takeGraphemes(text, max - measure(marker), measure);
  return kept.trimEnd() + marker;
}

function takeGraphemes(text: string, budget: number, measure: Measure): string {
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = measure(segment);
    if (used + size > budget) break;
    kept += segment;
    used += size;
  }
  return kept;
}
