/**
 * What the reply guard looks for in the model's words: money amounts, links and order
 * numbers, each with a key under which two spellings of the same thing compare equal
 * ("₦5,000.00", "NGN 5000", "5k naira"). The patterns run on NFKC-normalised text, so
 * full-width look-alikes ("＄５") are already plain ASCII. Every pattern is anchored by a
 * separator or a look-behind so that matching stays linear on hostile input.
 */

// --- Money -----------------------------------------------------------------------------

/**
 * Case-insensitive without the `i` flag, which would also make "R" and "N" match "r" and
 * "n": a match rejected after the fact would hide what follows it ("r 50 dollars").
 */
const anyCase = (words: string) => words.replace(/[a-z]/gu, (letter) => `[${letter}${letter.toUpperCase()}]`);

/** Digits with grouping ("5,000", "5.000", "5 000", "5'000") and an optional decimal part. */
const NUMBER = String.raw`\p{Nd}+(?:[,.'’\u00a0\u202f]\p{Nd}+| \p{Nd}{3}(?!\p{Nd}))*`;
const MAGNITUDE = String.raw`(?:[ \t]?(?:${anyCase('k|mn|m|bn')})(?![\p{L}\p{N}])|[ \t](?:${anyCase('thousand|million|billion')})(?![\p{L}\p{N}]))?`;
/**
 * Letter codes written before a number. "R" (rand) and "N" (naira, as typed without a ₦ key)
 * count only in capitals, and "N" only before a grouped amount ("N5,000"): "N95" or "N100"
 * is more likely a product.
 */
const CODE_BEFORE = String.raw`${anyCase('gh')}[₵¢]|${anyCase('us')}\$|${anyCase('ghs|kshs|ksh|ngn|kes|zar|usd|eur|gbp')}|R|N(?=\p{Nd}{1,3},\p{Nd}{3})`;
const SYMBOL = String.raw`[₦$€£¢₵]`;
const WORD_AFTER = String.raw`(?:${anyCase('naira|cedis|cedi|dollars|dollar|bucks|shillings|shilling|rand|euros|euro|ngn|ghs|kes|kshs|ksh|zar|usd|eur|gbp')})(?![\p{L}\p{N}])`;

export const MONEY = new RegExp(
  [
    String.raw`(?:(?<![\p{L}\p{N}])(?<code>${CODE_BEFORE})\.?[ \t]{0,2}(?<n1>${NUMBER})(?<m1>${MAGNITUDE})(?![\p{L}\p{N}])`,
    String.raw`|(?<symbol>${SYMBOL})[ \t]{0,2}(?<n2>${NUMBER})(?<m2>${MAGNITUDE})`,
    // A symbol after a number ("5 €") is not the start of the next amount ("5 ₦5,000").
    String.raw`|(?<![\p{L}\p{N}.,'’])(?<n3>${NUMBER})(?<m3>${MAGNITUDE})[ \t]{0,2}(?<after>${SYMBOL}(?![ \t]{0,2}\p{Nd})|${WORD_AFTER}))`,
    // "₦5,000 naira": a repeated currency goes with the amount.
    String.raw`(?<tail>[ \t]{0,2}${WORD_AFTER})?`,
  ].join(''),
  'gu',
);

export interface MoneyGroups {
  code?: string;
  symbol?: string;
  after?: string;
  tail?: string;
  n1?: string;
  n2?: string;
  n3?: string;
  m1?: string;
  m2?: string;
  m3?: string;
}

const CURRENCIES: Record<string, string> = {
  '₦': 'NGN',
  n: 'NGN',
  ngn: 'NGN',
  naira: 'NGN',
  'gh₵': 'GHS',
  'gh¢': 'GHS',
  '₵': 'GHS',
  '¢': 'GHS',
  ghs: 'GHS',
  cedi: 'GHS',
  cedis: 'GHS',
  ksh: 'KES',
  kshs: 'KES',
  kes: 'KES',
  shilling: 'KES',
  shillings: 'KES',
  r: 'ZAR',
  zar: 'ZAR',
  rand: 'ZAR',
  $: 'USD',
  us$: 'USD',
  usd: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  '€': 'EUR',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  '£': 'GBP',
  gbp: 'GBP',
};

const MAGNITUDE_DIGITS: Record<string, number> = { k: 3, thousand: 3, m: 6, mn: 6, million: 6, bn: 9, billion: 9 };

/** "NGN|5000" for "₦5,000.00", "NGN 5000" and "5k naira"; undefined when unsure. */
export function moneyKey(groups: MoneyGroups): string | undefined {
  const marker = groups.code ?? groups.symbol ?? groups.after;
  const currency = marker === undefined ? undefined : CURRENCIES[marker.toLowerCase()];
  const amount = decimalOf(groups.n1 ?? groups.n2 ?? groups.n3 ?? '', groups.m1 ?? groups.m2 ?? groups.m3 ?? '');
  return currency === undefined || amount === undefined ? undefined : `${currency}|${amount}`;
}

/**
 * "5,000.50" is 5000.5 and "5.000,50" too: the last separator is the decimal point unless
 * exactly three digits follow it, which is grouping ("5,000", "5.000").
 */
function decimalOf(number: string, magnitude: string): string | undefined {
  const compact = number.replace(/[ '’\u00a0\u202f]/gu, '');
  if (!/^[0-9.,]+$/u.test(compact)) return undefined;
  const lastSeparator = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','));
  const decimals = lastSeparator < 0 ? '' : compact.slice(lastSeparator + 1);
  const isDecimal = lastSeparator >= 0 && decimals.length !== 3;
  const whole = (isDecimal ? compact.slice(0, lastSeparator) : compact).replace(/[.,]/gu, '');
  const fraction = isDecimal ? decimals : '';
  const shift = MAGNITUDE_DIGITS[magnitude.trim().toLowerCase()] ?? 0;
  const digits = whole + fraction.padEnd(shift, '0');
  const point = whole.length + shift;
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/u, '');
  const rest = digits.slice(point).replace(/0+$/u, '');
  return rest === '' ? integer : `${integer}.${rest}`;
}

// --- Links -----------------------------------------------------------------------------

const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?`;
const URL_CHARS = '[^\\s<>"\'`]';
/** The name ends here: "shop.ng." and "shop.ng---" end, "shop.ngx" and "shop.ng-x" do not. */
const TLD_END = String.raw`(?![A-Za-z0-9]|-[\p{L}\p{N}])(?::\p{Nd}{2,5})?`;

/**
 * Top-level domains a bare "name.tld" must end in to count as a link (with a path, any
 * will do): without a list, "Mr.Smith" or "menu.pdf" would be links. Short words that are
 * also TLDs ("to", "in", "it", "so", "at") are left out on purpose.
 */
const TLDS = [
  'com net org info biz io co ai app dev me ly link shop store online site website xyz top club live page',
  'click pro tech space cloud life world today vip work mobi name africa bio buzz icu cam pw tk ml ga cf gq',
  'ng gh ke za ug tz rw zm zw cm sn ci et uk eu de fr ca au cc tv gg gl ru cn',
]
  .join(' ')
  .split(' ')
  .join('|');

export const LINK = new RegExp(
  [
    String.raw`(?<![\p{L}\p{N}._%+-])(?<email>[\p{L}\p{N}._%+-]{1,64}@(?:${LABEL}\.)+\p{L}{2,24})(?![\p{L}\p{N}]|-[\p{L}\p{N}])`,
    // Chat apps link "http://…" and "www.…" wherever they stand, glued to other text or not.
    String.raw`|(?<url>(?:https?|ftps?):\/\/${URL_CHARS}+)`,
    String.raw`|(?<![\p{L}\p{N}])(?<www>www\d{0,3}\.${URL_CHARS}+)`,
    // A bare "shop.ng" or "anything.tld/path". Not from the middle of a name ("a.evil.com"
    // starts at "a"), but after "..." it may.
    String.raw`|(?<![\p{L}\p{N}-])(?<![\p{L}\p{N}]\.)(?<bare>(?:${LABEL}\.)+`,
    String.raw`(?:(?:${TLDS})${TLD_END}(?:[/?#]${URL_CHARS}*)?|\p{L}{2,24}${TLD_END}[/?#]${URL_CHARS}*))`,
  ].join(''),
  'giu',
);

/** Splits off the sentence punctuation a link pattern swallows: "see x.com/a)." → "x.com/a", ")." */
export function splitTrailing(link: string): [string, string] {
  let end = link.length;
  while (end > 0) {
    const char = link[end - 1];
    const body = link.slice(0, end);
    const unbalanced = char === ')' && count(body, '(') < count(body, ')');
    if (!(/[.,!?;:'"*_~>\]}…]/u.test(char) || unbalanced)) break;
    end--;
  }
  return [link.slice(0, end), link.slice(end)];
}

/** Scheme-less and case-insensitive in the host: "https://Pay.Example.com/x/" is "pay.example.com/x". */
export function linkKey(link: string): { key: string; scheme?: string } {
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?#]*)(.*)$/isu.exec(link);
  if (!match) return { key: link };
  const host = match[2].toLowerCase().replace(/^www\d{0,3}\./u, '');
  const key = `${host}${match[3]}`.replace(/\/+$/u, '');
  return { key: link.includes('@') && !match[1] ? link.toLowerCase() : key, scheme: match[1]?.toLowerCase() };
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

// --- Order numbers ---------------------------------------------------------------------

export const ORDER_NUMBER = new RegExp(
  [
    String.raw`(?<![\p{L}\p{N}&])#(?<hash>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?![\p{L}\p{N}-])`,
    // "HK-1042", "ORD-2024-0001", "ord-9", "ORD123".
    String.raw`|(?<![\p{L}\p{N}-])(?<prefixed>[A-Z]{2,5}-\p{Nd}{2,}(?:-[A-Za-z0-9]+)*|[Oo][Rr][Dd](?:[Ee][Rr])?[-_#]?(?=[A-Za-z0-9-]*\p{Nd})[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?![\p{L}\p{N}-])`,
  ].join(''),
  'gu',
);

/** "order number 1042", "order no. HK-1042": the number after the words. */
export const ORDER_NUMBER_AFTER_WORDS = new RegExp(
  String.raw`(?<lead>(?<![\p{L}\p{N}])order[ \t]{1,3}(?:number|no\.?|num\.?|id|ref\.?)[ \t]{0,3}[:#]?[ \t]{0,3})(?<token>[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?)(?![\p{L}\p{N}-])`,
  'giu',
);

/** "#12" is more likely "item #12" than an order: a hashed number needs three characters. */
export function isOrderNumber(token: string, hashed: boolean): boolean {
  return /\p{Nd}/u.test(token) && (!hashed || token.length >= 3);
}

/** "#hk-1042" and "HK-1042" are the same order. */
export function orderKey(token: string): string {
  return token.replace(/^#/u, '').toUpperCase();
}
