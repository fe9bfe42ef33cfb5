import fc from 'fast-check';

/**
 * Values that have broken parsers elsewhere: prototype keys, numbers in disguise, control and
 * invisible characters, lone surrogates, characters that NFKC expands, injection shapes and
 * text just past the lengths this codebase bounds (256, 4096).
 */
export const TRICKY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\r\n',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ud83d',
  '\u202eevil',
  '\u200b',
  '\ufeff{}',
  '\u0085',
  'ﷺ',
  'İ',
  'ß',
  '🍚',
  '👨‍👩‍👧',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-0',
  '0',
  '-1',
  '1e309',
  '0x1f',
  '1_000',
  '1,000',
  '9007199254740993',
  '1.5',
  '٣',
  '３',
  '{}',
  '[]',
  '%',
  '%00',
  '%E0%A4%A',
  '../../etc/passwd',
  "' OR '1'='1",
  '"; DROP TABLE tenants; --',
  '{{7*7}}',
  '${7*7}',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  'https://evil.example/',
  'a'.repeat(257),
  'é'.repeat(4097),
];

const LONG_SEEDS = ['a', 'ﷺ', '\u0301', '🍚', '\u0000', ' ', '9'];

/** Any UTF-16 code unit, lone surrogates and control characters included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit }) },
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...LONG_SEEDS), fc.integer({ min: 100, max: 20_000 }))
      .map(([seed, times]) => seed.repeat(times)),
  },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1, -1, 99, 100, 101, 2 ** 31, 2 ** 31 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e308, 0.1),
);

/** Numbers written as text, as query strings and some providers send them. */
export const numericString: fc.Arbitrary<string> = fc.oneof(
  hostileNumber.map(String),
  fc.constantFrom(' 7 ', '+3', '07', '1e2', '0b11', '.5', '5.', '1.0', '١', '３', '1 000'),
);

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: numericString },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'then', 'length'];

/** Object keys: the ones a parser reads, prototype keys, and anything else. */
export function hostileKey(knownKeys: readonly string[] = []): fc.Arbitrary<string> {
  const keys = [
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, '', ' ', 'a.b', 'a[b]', '$gt') },
  ];
  if (knownKeys.length > 0) keys.push({ weight: 3, arbitrary: fc.constantFrom(...knownKeys) });
  return fc.oneof(...keys);
}

/** Any JSON value, a few levels deep: arrays where objects are expected, prototype keys, nulls. */
export function hostileJson(knownKeys: readonly string[] = []): fc.Arbitrary<unknown> {
  const key = hostileKey(knownKeys);
  const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      { weight: 4, arbitrary: hostileScalar },
      { weight: 1, arbitrary: tie('array') },
      { weight: 2, arbitrary: tie('object') },
    ),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  }));
  return value;
}

/** A value nested `depth` levels deep, built without recursion so that any depth can be made. */
export function nestedValue(depth: number, key: string, asArray: boolean): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = asArray ? [value] : { [key]: value };
  return value;
}

export const deepNesting: fc.Arbitrary<{ depth: number; key: string; asArray: boolean }> = fc.record({
  depth: fc.constantFrom(64, 1000, 10_000, 100_000),
  key: fc.constantFrom('a', 'data', 'entry', 'text', '__proto__'),
  asArray: fc.boolean(),
});

/** JSON text nested `depth` levels deep, written directly: JSON.stringify would recurse. */
export function nestedJsonText({ depth, key, asArray }: { depth: number; key: string; asArray: boolean }): string {
  const open = asArray ? '[' : `{${JSON.stringify(key)}:`;
  const close = asArray ? ']' : '}';
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}
