import fc from 'fast-check';

/**
 * One seed and one run count for every hostile-input property, so CI feeds the same inputs on
 * every run and a failure replays from what fast-check printed: `FC_SEED=<seed> npm test …`.
 * `FC_RUNS` raises the count for a longer hunt on a workstation.
 */
export const PROPERTY_RUNS: Readonly<fc.Parameters<unknown>> = {
  seed: Number(process.env.FC_SEED ?? 20_250_607),
  numRuns: Number(process.env.FC_RUNS ?? 1000),
};

/** Marks a field the generator decided to leave out; `withoutAbsent` removes it before the value is used. */
export const ABSENT: unique symbol = Symbol('absent');

/**
 * A field value that is usually plausible, sometimes hostile and sometimes missing. A
 * `structural` field (the envelope around what is parsed) is rarely broken, so that the fuzz
 * gets past it to the fields inside.
 */
export function nearValidField(
  plausible: fc.Arbitrary<unknown>,
  hostile: fc.Arbitrary<unknown>,
  options: { optional?: boolean; structural?: boolean } = {},
): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: options.structural ? 60 : 6, arbitrary: plausible },
    { weight: 2, arbitrary: hostile },
    { weight: options.optional ? 3 : 1, arbitrary: fc.constant(ABSENT) },
  );
}

/** A record whose fields come from `model`, with the fields generated as ABSENT left out. */
export function nearValidRecord(model: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(model).map(withoutAbsent);
}

export function withoutAbsent(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    // defineProperty keeps a generated `__proto__` key an own property, as JSON.parse would.
    if (value !== ABSENT)
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Adds, now and then, fields a parser does not expect: prototype keys (kept as own
 * properties, as JSON.parse leaves them) and names close to the real ones.
 */
export function withExtraFields(
  record: fc.Arbitrary<Record<string, unknown>>,
  keys: readonly string[],
  values: fc.Arbitrary<unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  const extra = fc.option(fc.dictionary(fc.constantFrom('__proto__', 'constructor', ...keys), values, { maxKeys: 2 }), {
    freq: 8,
    nil: {},
  });
  return fc.tuple(record, extra).map(([fields, more]) => withoutAbsent({ ...fields, ...more }));
}
