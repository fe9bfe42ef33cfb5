import fc from 'fast-check';
import { deepNesting, hostileJson, nestedJsonText } from './hostile-values.js';

/** A request body as it goes on the wire: the bytes and the content type that claims to describe them. */
export interface WireBody {
  contentType?: string;
  payload: string | Buffer;
}

/** JSON texts JSON.stringify never writes but JSON.parse accepts or chokes on. */
const TRICKY_JSON_TEXTS = [
  '',
  ' ',
  'null',
  '"text"',
  '123',
  'true',
  '[]',
  '[{}]',
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '{"a":1,"a":2}',
  '{"a":1e400}',
  '{"a":-1e400}',
  '{"a":123456789012345678901234567890}',
  '{"a":-0}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '\ufeff{}',
  '{"a":NaN}',
];

/** Literals substituted for one field of a near-valid body: values JSON.stringify cannot produce. */
const RAW_LITERALS = [
  '1e400',
  '-0',
  '1.0',
  '123456789012345678901234567890',
  '"\\ud800"',
  '"\\u0000"',
  '{"__proto__":{}}',
];

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'];
const OTHER_TYPES = [
  'application/json; charset=utf-16le',
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/vnd.api+json',
  '*/*',
  'application/json, text/plain',
  ';',
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` as JSON, sometimes with one of its fields replaced by a raw literal. */
function jsonTextOf(value: unknown): fc.Arbitrary<string> {
  const keys = isRecord(value) ? Object.keys(value) : [];
  if (!isRecord(value) || keys.length === 0) return fc.constant(JSON.stringify(value) ?? 'null');
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant(JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...RAW_LITERALS)).map(([key, literal]) => {
        const marker = '\u0001raw\u0001';
        const text = JSON.stringify({ ...value, [key]: marker });
        return text.replace(JSON.stringify(marker), literal);
      }),
    },
  );
}

/** Form encoding of a near-valid body: what a client that ignores the API's content type would send. */
function formTextOf(value: unknown): string {
  if (!isRecord(value)) return asText(value);
  const form = new URLSearchParams();
  for (const [key, field] of Object.entries(value)) {
    for (const item of Array.isArray(field) ? field : [field]) form.append(key, asText(item));
  }
  return form.toString();
}

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '' : (JSON.stringify(value) ?? '');

/**
 * Bodies for a route: mostly JSON near the route's own shape (when one is known), then any
 * JSON, deeply nested JSON, broken JSON, and bytes under content types that may not fit them.
 */
export function hostileBody(
  nearValid: fc.Arbitrary<unknown> | undefined,
  knownKeys: readonly string[] = [],
  options: { nearValidWeight?: number } = {},
): fc.Arbitrary<WireBody> {
  const json = (payload: fc.Arbitrary<string>) =>
    fc.tuple(fc.constantFrom(...JSON_TYPES), payload).map(([contentType, text]) => ({ contentType, payload: text }));
  const variants: fc.WeightedArbitrary<WireBody>[] = [
    { weight: 3, arbitrary: json(hostileJson(knownKeys).map((value) => JSON.stringify(value) ?? 'null')) },
    { weight: 1, arbitrary: json(fc.constantFrom(...TRICKY_JSON_TEXTS)) },
    { weight: 1, arbitrary: json(deepNesting.map(nestedJsonText)) },
    {
      weight: 1,
      arbitrary: fc.record({
        contentType: fc.option(fc.constantFrom(...OTHER_TYPES, ...JSON_TYPES), { nil: undefined }),
        payload: fc.oneof(
          fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
          fc.string(),
        ),
      }),
    },
  ];
  if (nearValid) {
    variants.push({ weight: options.nearValidWeight ?? 10, arbitrary: json(nearValid.chain(jsonTextOf)) });
    variants.push({
      weight: 1,
      arbitrary: nearValid.map((value) => ({
        contentType: 'application/x-www-form-urlencoded',
        payload: formTextOf(value),
      })),
    });
  }
  return fc.oneof(...variants);
}

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Percent-encodes `text` as UTF-8; a lone surrogate (on which encodeURIComponent throws) as U+FFFD, as UTF-8 has it. */
export function percentEncode(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATES, '\uFFFD'));
}

const MAX_QUERY_LENGTH = 8000;
const RAW_QUERY_PIECES = [
  '%',
  '%%',
  '%FF',
  '%C3%28',
  '%E0%A4%A',
  '&&',
  '=',
  '==',
  'a[b]=c',
  '__proto__[x]=1',
  '?',
  '#',
];

/** A query string from `fields`, each value as text or as a repeated key; now and then with broken escapes. */
export function queryTextOf(fields: Record<string, unknown>): fc.Arbitrary<string> {
  const pairs: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    for (const item of Array.isArray(field) ? field : [field])
      pairs.push(`${percentEncode(key)}=${percentEncode(asText(item))}`);
  }
  // Past about 16 KiB Node refuses the request line itself (431) before the application sees it.
  const text = pairs.join('&').slice(0, MAX_QUERY_LENGTH);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(text) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...RAW_QUERY_PIECES).map((piece) => (text ? `${text}&${piece}` : piece)),
    },
  );
}

/** Query strings for a route: near its own shape when one is known, otherwise any keys and values. */
export function hostileQuery(
  nearValid: fc.Arbitrary<Record<string, unknown>> | undefined,
  knownKeys: readonly string[] = [],
): fc.Arbitrary<string> {
  const anyFields = fc.dictionary(
    fc.oneof(fc.constantFrom(...knownKeys, '__proto__', 'constructor', 'a[b]'), fc.string({ maxLength: 10 })),
    hostileJson(knownKeys),
    { maxKeys: 4 },
  );
  if (!nearValid) return anyFields.chain(queryTextOf);
  return fc.oneof(
    { weight: 1, arbitrary: anyFields.chain(queryTextOf) },
    { weight: 4, arbitrary: nearValid.chain(queryTextOf) },
  );
}
