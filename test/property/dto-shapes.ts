import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { hostileJson } from './hostile-values.js';
import { nearValidField, nearValidRecord, withExtraFields } from './property-runs.js';

type Rule = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
export type DtoClass = abstract new (...args: never[]) => unknown;

/** What the near-valid generator may use where a DTO asks for a uuid: ids of real rows. */
export interface ShapeContext {
  ids: readonly string[];
}

/** The class-validator rules of a DTO, by property: the same rules the validation pipe applies. */
export function rulesOf(dto: DtoClass): Map<string, Rule[]> {
  const byProperty = new Map<string, Rule[]>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  }
  return byProperty;
}

export const isDto = (value: unknown): value is DtoClass =>
  typeof value === 'function' && value !== Object && rulesOf(value as DtoClass).size > 0;

/**
 * Bodies shaped like `dto` with each field plausible (read from its validation rules),
 * hostile or missing, plus now and then an unknown or prototype key: most fail validation
 * on one field, enough pass it to reach the service behind.
 */
export function nearValidDto(dto: DtoClass, context: ShapeContext): fc.Arbitrary<Record<string, unknown>> {
  const rules = rulesOf(dto);
  const hostile = hostileJson([...rules.keys()]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [property, propertyRules] of rules) {
    const optional = propertyRules.some((rule) => rule.type === 'conditionalValidation');
    model[property] = nearValidField(plausibleValue(dto, property, propertyRules, context), hostile, { optional });
  }
  return withExtraFields(nearValidRecord(model), ['extra', 'id'], hostile);
}

function plausibleValue(dto: DtoClass, property: string, rules: Rule[], context: ShapeContext): fc.Arbitrary<unknown> {
  if (rules.some((rule) => rule.type === 'nestedValidation')) {
    const nested: unknown = Reflect.getMetadata('design:type', dto.prototype as object, property);
    if (isDto(nested)) return fc.oneof(nearValidDto(nested, context), fc.constant(null));
  }
  if (rules.some((rule) => rule.name === 'isArray')) {
    const items = plausibleScalar(
      rules.filter((rule) => rule.each),
      context,
    );
    const maxLength = Math.min(constraint(rules, 'arrayMaxSize') ?? 5, 25);
    return fc.array(items, { maxLength: maxLength + 1 });
  }
  return fc.oneof(plausibleScalar(rules, context), fc.constant(null));
}

/** One candidate per rule: an enum member, a string matching the pattern, an int in range, … */
function plausibleScalar(rules: Rule[], context: ShapeContext): fc.Arbitrary<unknown> {
  const min = constraint(rules, 'min');
  const max = constraint(rules, 'max');
  const candidates: fc.Arbitrary<unknown>[] = [];
  for (const rule of rules) {
    const candidate = candidateFor(rule, context, { min, max });
    if (candidate) candidates.push(candidate);
  }
  return candidates.length > 0 ? fc.oneof(...candidates) : fc.string();
}

function candidateFor(
  rule: Rule,
  context: ShapeContext,
  bounds: { min?: number; max?: number },
): fc.Arbitrary<unknown> | undefined {
  const [first, second] = rule.constraints ?? [];
  switch (rule.name) {
    case 'isIn':
      return fc.constantFrom(...(first as unknown[]));
    case 'matches':
      return stringMatching(first as RegExp | string, second as string | undefined);
    case 'isUuid':
      return context.ids.length > 0 ? fc.oneof(fc.constantFrom(...context.ids), fc.uuid()) : fc.uuid();
    case 'isEmail':
      return fc.emailAddress();
    case 'isInt':
      return fc.integer({ min: bounds.min ?? -1000, max: Math.min(bounds.max ?? 1_000_000, Number.MAX_SAFE_INTEGER) });
    case 'isBoolean':
      return fc.boolean();
    case 'isLength':
      return lengthBounded(first as number, second as number);
    case 'maxLength':
      return lengthBounded(0, first as number);
    case 'isString':
      return fc.string();
    case 'isTimeZone':
      return fc.constantFrom('Africa/Lagos', 'UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata');
    case 'isWebOrigin':
      return fc.oneof(fc.constantFrom('https://shop.example', 'http://localhost:3000'), fc.webUrl());
    case 'isIso8601':
      return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
    case 'immutable':
      return fc.constant(undefined);
    default:
      return undefined;
  }
}

/** Strings at and around the bounds: a validator's edge is where an off-by-one hides. */
function lengthBounded(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const cap = Math.min(maxLength, 300);
  return fc.oneof(
    fc.string({ minLength: Math.min(minLength, cap), maxLength: cap }),
    fc.constantFrom(maxLength, maxLength + 1).map((length) => 'a'.repeat(length)),
  );
}

/** Strings the pattern accepts, short and long: an unbounded `*` may outrun a column's length. */
function stringMatching(pattern: RegExp | string, flags?: string): fc.Arbitrary<string> {
  try {
    const regex = typeof pattern === 'string' ? new RegExp(pattern, flags) : pattern;
    return fc.oneof(fc.stringMatching(regex), fc.stringMatching(regex, { size: 'large' }));
  } catch {
    // A pattern fast-check cannot invert still gets plain strings.
    return fc.string();
  }
}

function constraint(rules: Rule[], name: string): number | undefined {
  const rule = rules.find((candidate) => candidate.name === name && !candidate.each);
  const value: unknown = rule?.constraints?.[0];
  return typeof value === 'number' ? value : undefined;
}
