import { REMOVED, closeGaps } from './reply-tidy.js';
import {
  LINK,
  MONEY,
  ORDER_NUMBER,
  ORDER_NUMBER_AFTER_WORDS,
  isOrderNumber,
  linkKey,
  moneyKey,
  orderKey,
  splitTrailing,
  type MoneyGroups,
} from './reply-tokens.js';

/**
 * The last check on the model's words before a customer reads them. The model is told not
 * to write prices, links or order numbers, but it can invent them anyway; each one it
 * writes must be one the executor rendered this turn, or it is removed. What the executor
 * rendered is sent right after, so nothing true is lost.
 */

export interface GuardAllowed {
  /** Exact figures the executor rendered this turn, e.g. "₦5,000.00". */
  figures: readonly string[];
  links: readonly string[];
  orderNumbers: readonly string[];
}

export const DEFAULT_MAX_REPLY_LENGTH = 600;

/** Figures and order numbers are short; a longer "allowed" entry is not one. */
const MAX_ALLOWED_LENGTH = 2_000;

/**
 * Returns `text` without any money amount, link or order number that is not in `allowed`,
 * tidied, and cut to `maxLength` characters on a word boundary. Never throws.
 */
export function guardReply(text: string, allowed: GuardAllowed, maxLength = DEFAULT_MAX_REPLY_LENGTH): string {
  try {
    return guardReplyOrThrow(text, allowed, maxLength);
  } catch {
    // Unreachable by design (the hostile-input spec hunts for it); if it ever happens, saying
    // nothing is safe, as the executor's own replies still go out.
    return '';
  }
}

/** The allow-list for `guardReply`, read from what the executor rendered with the guard's own patterns. */
export function collectAllowed(rendered: string): GuardAllowed {
  const text = sanitize(rendered, Number.MAX_SAFE_INTEGER);
  const matches = (pattern: RegExp) => [...text.matchAll(pattern)];
  return {
    figures: matches(MONEY).map((match) => match[0]),
    links: matches(LINK).map((match) => splitTrailing(match[0])[0]),
    orderNumbers: [
      ...matches(ORDER_NUMBER).map((match) => match[0]),
      ...matches(ORDER_NUMBER_AFTER_WORDS).map((match) => match.groups?.token ?? ''),
    ],
  };
}

/** `guardReply` without its safety net, so that the hostile-input spec sees a throw. */
export function guardReplyOrThrow(text: string, allowed: GuardAllowed, maxLength = DEFAULT_MAX_REPLY_LENGTH): string {
  const requested = Number(maxLength);
  const limit = Number.isNaN(requested) ? DEFAULT_MAX_REPLY_LENGTH : Math.floor(requested);
  if (typeof text !== 'string' || limit < 1) return '';
  // Removals only shorten the text, so a bounded prefix is all that can be shown; the
  // bound also caps the work on an endless answer.
  const bound = Math.min(Math.max(limit * 4, 2_000), 50_000);
  const allow = allowList(allowed);
  const kept: string[] = [];
  const keep = (value: string) => `\uE003${placeholderIndex(kept.push(value) - 1)}\uE004`;

  let result = sanitize(text, bound);
  // Closing a gap can join what was around it into a new amount ("₦<link>5" becomes "₦ 5"),
  // so the passes run again until nothing more is removed.
  for (let round = 0; ; round++) {
    const marked = markTokens(result, allow, keep);
    if (!/[\uE000-\uE002]/u.test(marked)) {
      result = marked;
      break;
    }
    // A text that keeps forming new amounts is built to slip through: none of it is shown.
    if (round === MAX_ROUNDS) return '';
    result = closeGaps(marked);
  }
  result = result
    .replace(/[ \t]+$/gmu, '')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
  if (!/[\p{L}\p{N}\p{So}\uE003]/u.test(result)) return '';
  const { text: restored, spans } = restore(result, kept);
  return cap(restored, limit, spans);
}

/** Each round removes something; legitimate text needs one or two. */
const MAX_ROUNDS = 8;

type AllowList = ReturnType<typeof allowList>;

/** Keeps what is allowed behind placeholders and marks the rest for removal. */
function markTokens(text: string, allow: AllowList, keep: (value: string) => string): string {
  return text
    .replace(LINK, (match: string) => {
      const [link, trailing] = splitTrailing(match);
      if (link === '') return match;
      return (allow.link(link) ? keep(link) : REMOVED.link) + trailing;
    })
    .replace(MONEY, (match: string, ...rest: unknown[]) => {
      return allow.figure(match, rest.at(-1) as MoneyGroups) ? keep(match) : REMOVED.money;
    })
    .replace(ORDER_NUMBER_AFTER_WORDS, (match: string, ...rest: unknown[]) => {
      const { lead, token } = rest.at(-1) as { lead: string; token: string };
      if (!isOrderNumber(token, false)) return match;
      return lead + (allow.order(token) ? keep(token) : REMOVED.order);
    })
    .replace(ORDER_NUMBER, (match: string, ...rest: unknown[]) => {
      const { hash } = rest.at(-1) as { hash?: string; prefixed?: string };
      if (!isOrderNumber(hash ?? match, hash !== undefined)) return match;
      return allow.order(match) ? keep(match) : REMOVED.order;
    });
}

/**
 * Input the patterns can trust: no lone surrogates, no invisible characters that split a
 * number or a link ("₦5\u200b000"), no look-alike forms (NFKC), no control characters, and
 * none of the private-use characters the guard uses as markers.
 */
function sanitize(text: string, bound: number): string {
  return text
    .slice(0, bound)
    .replace(/\p{Cs}/gu, '')
    .normalize('NFKC')
    .slice(0, bound)
    .replace(/\r\n?/gu, '\n')
    .replace(/[\uE000-\uE0FF]/gu, '')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[^\S\n\t ]/gu, ' ')
    .replace(/\p{Cf}/gu, (char, offset: number, whole: string) => (isEmojiJoiner(char, offset, whole) ? char : ''));
}

/** A zero-width joiner inside an emoji sequence (👩‍🍳) is part of the emoji; anywhere else it hides things. */
function isEmojiJoiner(char: string, offset: number, text: string): boolean {
  return (
    char === '\u200d' &&
    /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u.test(text.slice(Math.max(0, offset - 2), offset)) &&
    /^\p{Extended_Pictographic}/u.test(text.slice(offset + 1, offset + 3))
  );
}

function allowList(allowed: GuardAllowed) {
  const list = (values: unknown): string[] =>
    (Array.isArray(values) ? values : [])
      .filter((value): value is string => typeof value === 'string' && value.length <= MAX_ALLOWED_LENGTH)
      .map((value) => sanitize(value, MAX_ALLOWED_LENGTH).trim())
      .filter((value) => value !== '');

  const figures = list(allowed?.figures);
  const exactFigures = new Set(figures);
  const figureKeys = new Set(
    figures.flatMap((figure) => [...figure.matchAll(MONEY)].flatMap((match) => moneyKey(match.groups ?? {}) ?? [])),
  );

  const links = list(allowed?.links);
  const exactLinks = new Set(links);
  const linkSchemes = new Map<string, Set<string>>();
  for (const link of links) {
    const { key, scheme } = linkKey(link);
    linkSchemes.set(key, (linkSchemes.get(key) ?? new Set()).add(scheme ?? ''));
  }

  const orders = new Set(list(allowed?.orderNumbers).map(orderKey));

  return {
    figure: (match: string, groups: MoneyGroups) => {
      const key = moneyKey(groups);
      return exactFigures.has(match) || (key !== undefined && figureKeys.has(key));
    },
    /** The same link, or the same one without its scheme; never a different scheme. */
    link: (link: string) => {
      if (exactLinks.has(link)) return true;
      const { key, scheme } = linkKey(link);
      const schemes = linkSchemes.get(key);
      return schemes !== undefined && (scheme === undefined || schemes.has(scheme) || schemes.has(''));
    },
    order: (token: string) => orders.has(orderKey(token)),
  };
}

/** Placeholder indexes are written in private-use "digits", so no pattern can match inside them. */
function placeholderIndex(index: number): string {
  return [...String(index)].map((digit) => String.fromCharCode(0xe010 + Number(digit))).join('');
}

/** Puts the kept figures, links and order numbers back, noting where each one sits. */
function restore(text: string, kept: readonly string[]): { text: string; spans: [number, number][] } {
  const spans: [number, number][] = [];
  let out = '';
  let index = 0;
  for (const match of text.matchAll(/\uE003([\uE010-\uE019]+)\uE004/gu)) {
    out += text.slice(index, match.index);
    const digits = [...match[1]].map((char) => String(char.charCodeAt(0) - 0xe010)).join('');
    const value = kept[Number(digits)] ?? '';
    spans.push([out.length, out.length + value.length]);
    out += value;
    index = match.index + match[0].length;
  }
  return { text: out + text.slice(index), spans };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cuts to `limit` characters (with the "…"), at the last space in the second half of the
 * text if there is one, never inside a kept figure or link (a cut "₦5,0…" would be a wrong
 * price) and never inside a character or an emoji.
 */
function cap(text: string, limit: number, spans: readonly [number, number][]): string {
  if (text.length <= limit) return text;
  let cut = outsideSpans(graphemeBoundary(text, limit - 1), spans);
  const boundary = Math.max(text.lastIndexOf(' ', cut), text.lastIndexOf('\n', cut));
  if (boundary > cut / 2) cut = outsideSpans(boundary, spans);
  const head = text.slice(0, cut).replace(/[\s,;:(\[{–—-]+$/u, '');
  return head === '' ? '' : `${head}…`;
}

/** The last grapheme boundary at or before `at`; a window is enough, as clusters are short. */
function graphemeBoundary(text: string, at: number): number {
  const from = Math.max(0, at - 64);
  let boundary = from;
  for (const { index } of graphemes.segment(text.slice(from, at + 64))) {
    if (from + index > at) break;
    boundary = from + index;
  }
  return boundary;
}

function outsideSpans(cut: number, spans: readonly [number, number][]): number {
  let result = cut;
  for (const [start, end] of spans) if (start < result && result < end) result = start;
  return result;
}
