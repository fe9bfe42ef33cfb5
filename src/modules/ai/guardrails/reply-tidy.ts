/**
 * Closes the gaps the reply guard leaves. A removed amount, link or order number is first
 * replaced by a marker character, so that the words that only made sense around it ("for",
 * "between … and", "(…)", "*…*", "Pay here: …") can go with it and the sentence still
 * reads: "Jollof rice for ₦5,000." becomes "Jollof rice.", never "Jollof rice for .".
 * The markers are private-use characters the guard strips from its input first.
 */

export const REMOVED = { money: '\uE000', link: '\uE001', order: '\uE002' } as const;

const ANY = '[\uE000-\uE002]';
const { money: MONEY, link: LINK, order: ORDER } = REMOVED;

/** Whole words only. */
const words = (list: string) => String.raw`(?<![\p{L}\p{N}])(?:${list})(?![\p{L}\p{N}])`;

/** "₦5,000 – ₦7,000", "₦5,000-7,000", "₦5,000 or ₦6,000": one gap. */
const MONEY_RANGE = new RegExp(
  String.raw`${MONEY}(?:[ \t]*(?:[-–—~/]|${words('to|and|or')})[ \t]*${MONEY}|[ \t]*[-–—~][ \t]*\p{Nd}+(?:[,.]\p{Nd}+)*(?:[ \t]?[km](?![\p{L}\p{N}]))?(?![\p{L}\p{N}]))+`,
  'giu',
);

/** "[Pay here](…)" keeps its words; "*…*", "(…)", "<…>", "“…”" go with what they wrapped. */
const MARKDOWN_LINK = new RegExp(String.raw`\[([^\]\n]{1,200})\]\([ \t]*${LINK}[ \t]*\)`, 'gu');
const WRAPPED = new RegExp(
  String.raw`([*_~]{1,3})[ \t]*(${ANY})[ \t]*\1|[(\[<][ \t]*(${ANY})[ \t]*[)\]>]|["'“‘«][ \t]*(${ANY})[ \t]*["'”’»]`,
  'gu',
);

/** Words that lead up to what was removed, by kind. */
const LEADING = [
  [MONEY, words('for|at|of|only|just|about|around|roughly|approximately|approx\\.?|from|between|like') + '|[=:~@–—-]'],
  [LINK, words('at|via|on') + '|[:–—→>-]'],
  [ORDER, words('number|no\\.?|num\\.?|ref\\.?|id') + '|[:#–—-]'],
].map(([marker, lead]) => new RegExp(String.raw`(?:[ \t]*(?:${lead})){1,4}[ \t]*(?=${marker})`, 'giu'));

/**
 * "Jollof is ₦3,500 and Suya is ₦2,000." becomes "Jollof and Suya.": a verb goes when the
 * amount ended its clause, but stays in "Delivery is ₦500 extra" ("Delivery is extra").
 */
const VERB_BEFORE_MONEY = new RegExp(
  String.raw`[ \t]*${words('is|are|was|were|costs')}[ \t]*(?=${MONEY}[ \t]*(?:[.,!?;:)\n]|$|${words('and|or|but')}))`,
  'giu',
);

/** "₦500 each", "₦500 only", "₦500 per plate". */
const TRAILING = new RegExp(
  String.raw`(?<=${MONEY})[ \t]*${words('each|apiece|only|per[ \t]+(?:item|plate|piece|unit|pack|portion|one|person|head)')}`,
  'giu',
);

const GAP = new RegExp(String.raw`[ \t]*${ANY}(?:[ \t]*${ANY})*[ \t]*`, 'gu');
const SKIPPED = /[.,!?;:]*[ \t]*(?:(?:and|or|but)(?![\p{L}\p{N}])[ \t]*)?/iuy;
/** Letters, digits, or a kept figure, link or order number (the guard's placeholders). */
const CONTENT = /[\p{L}\p{N}\uE003-\uE0FF]/u;
const CLOSING = /[.,!?;:)\]}]/u;

/** Removes every marker and what only made sense around it. */
export function closeGaps(text: string): string {
  let result = text.replace(MONEY_RANGE, MONEY).replace(MARKDOWN_LINK, '$1');
  // A second round catches "(for ₦500)": the words go first, then the brackets.
  for (let round = 0; round < 2; round++) {
    result = result.replace(WRAPPED, (_match, _wrapper, ...markers: unknown[]) =>
      String(markers.slice(0, 3).find((marker) => typeof marker === 'string')),
    );
    for (const leading of LEADING) result = result.replace(leading, '');
    result = result.replace(TRAILING, '').replace(VERB_BEFORE_MONEY, '');
  }
  return joinAround(result);
}

/** Replaces each run of markers with a space or nothing, mending the punctuation around it. */
function joinAround(text: string): string {
  let out = '';
  let index = 0;
  for (const match of text.matchAll(GAP)) {
    out += text.slice(index, match.index);
    let end = match.index + match[0].length;
    const lineStart = out.lastIndexOf('\n') + 1;
    const line = out.slice(lineStart);
    // Nothing but bullets, punctuation or emoji before the gap on this line: the
    // punctuation or conjunction after it ("₦5,000. Thanks", "₦5,000, or …") goes too.
    const bare = !CONTENT.test(line);
    if (bare) {
      SKIPPED.lastIndex = end;
      end += SKIPPED.exec(text)?.[0].length ?? 0;
    }
    const next = text[end];
    if (next === undefined || next === '\n') {
      if (bare) {
        // The line held nothing else: drop it, with its line break.
        out = out.slice(0, lineStart);
        if (next === '\n') end++;
      } else {
        out = out.replace(/[ \t]*[,;:]*$/u, '');
      }
    } else if (bare) {
      out += line === '' ? '' : ' ';
      [out, end] = capitalized(out, text, end);
    } else if (CLOSING.test(next)) {
      // "Rice, ₦5,000." becomes "Rice.", not "Rice,.".
      if (/[,;:]$/u.test(out) && /[.,!?;:]/u.test(next)) out = out.slice(0, -1);
    } else if (!/[(\[{"'“‘«]$/u.test(out)) {
      out += ' ';
      if (/[.!?]\s*$/u.test(out)) [out, end] = capitalized(out, text, end);
    }
    index = end;
  }
  return out + text.slice(index);
}

/** A sentence that now starts with what used to follow the gap starts with a capital. */
function capitalized(out: string, text: string, at: number): [string, number] {
  const code = text.codePointAt(at);
  if (code === undefined) return [out, at];
  const char = String.fromCodePoint(code);
  return /\p{Ll}/u.test(char) ? [out + char.toUpperCase(), at + char.length] : [out, at];
}
