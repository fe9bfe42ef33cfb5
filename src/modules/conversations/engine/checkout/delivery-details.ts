import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/core';
// The JS build of the metadata: the JSON file would need an import attribute.
import metadata from 'libphonenumber-js/metadata.min.json';
import type { OrderDelivery } from '../../../commerce/orders/order-delivery.js';

/**
 * Delivery details as a customer gives them in chat, one answer at a time. Each answer is
 * checked as it arrives, so the order is only ever created from complete, valid details.
 */
export interface DeliveryDraft {
  name?: string;
  /** E.164. */
  phone?: string;
  address?: string;
  pickup?: true;
}

export type DeliveryField = 'name' | 'phone' | 'address';

/** Asked in this order; an answer always fills the first one missing. */
export const DELIVERY_FIELDS: readonly DeliveryField[] = ['name', 'phone', 'address'];

export const MAX_NAME_LENGTH = 100;
export const MIN_ADDRESS_LENGTH = 5;
export const MAX_ADDRESS_LENGTH = 300;
const PICKUP_WORDS = new Set(['pickup', 'pick up', 'pick-up', 'collect', 'collection', "i'll pick up", 'self pickup']);

export function nextMissing(draft: DeliveryDraft): DeliveryField | undefined {
  return DELIVERY_FIELDS.find((field) =>
    field === 'address' ? draft.address === undefined && draft.pickup !== true : draft[field] === undefined,
  );
}

export function toOrderDeliveryInput(draft: DeliveryDraft): OrderDelivery | undefined {
  if (nextMissing(draft) !== undefined || !draft.name || !draft.phone) return undefined;
  return draft.pickup
    ? { name: draft.name, phone: draft.phone, pickup: true }
    : { name: draft.name, phone: draft.phone, address: draft.address! };
}

export type DetailResult = { ok: true; draft: DeliveryDraft } | { ok: false; field: DeliveryField };

/**
 * Sets one field from the customer's words: the name and address trimmed and bounded,
 * the phone normalised to E.164 — a local number ("0803 123 4567") is read as one of
 * the business's country. "pickup" as the address means the customer collects it.
 */
export function withDetail(
  draft: DeliveryDraft,
  field: DeliveryField,
  text: string,
  region: string,
  knownPhone: string | null = null,
): DetailResult {
  const value = oneLine(text);
  switch (field) {
    case 'name':
      return value.length <= MAX_NAME_LENGTH && /\p{L}/u.test(value)
        ? { ok: true, draft: { ...draft, name: value } }
        : { ok: false, field };
    case 'phone': {
      // The number the channel itself gave us (WhatsApp) stands, whatever the region.
      const known = knownPhone !== null && digitsOf(value) === digitsOf(knownPhone);
      const phone = known ? knownPhone : normalizePhone(value, region);
      return phone ? { ok: true, draft: { ...draft, phone } } : { ok: false, field };
    }
    case 'address': {
      if (PICKUP_WORDS.has(value.toLowerCase())) return { ok: true, draft: { ...withoutWhere(draft), pickup: true } };
      if (value.length < MIN_ADDRESS_LENGTH || value.length > MAX_ADDRESS_LENGTH || !/\p{L}/u.test(value)) {
        return { ok: false, field };
      }
      return { ok: true, draft: { ...withoutWhere(draft), address: value } };
    }
  }
}

/** The draft without its address or pickup: one replaces the other. */
function withoutWhere(draft: DeliveryDraft): DeliveryDraft {
  const next = { ...draft };
  delete next.address;
  delete next.pickup;
  return next;
}

/** Several details at once (the AI's tool call): all valid, or the first field that is not. */
export function withDetails(
  draft: DeliveryDraft,
  details: Partial<Record<DeliveryField, string>> & { pickup?: boolean },
  region: string,
): DetailResult {
  let next = draft;
  for (const field of DELIVERY_FIELDS) {
    const text = field === 'address' && details.pickup ? 'pickup' : details[field];
    if (text === undefined) continue;
    const result = withDetail(next, field, text, region);
    if (!result.ok) return result;
    next = result.draft;
  }
  return { ok: true, draft: next };
}

/** E.164, or undefined when the text is not a plausible phone number. */
export function normalizePhone(text: string, region: string): string | undefined {
  const digits = text.replace(/[\s().-]/gu, '').replace(/^00/u, '+');
  if (!/^\+?\d{6,16}$/u.test(digits)) return undefined;
  const parsed = parsePhoneNumberFromString(digits, { defaultCountry: asCountry(region) }, metadata);
  return parsed?.isValid() ? parsed.number : undefined;
}

const digitsOf = (text: string) => text.replace(/\D/gu, '');

/**
 * The country of a locale such as `en-NG`; Nigeria when the locale names none. Not
 * `maximize()`: it would guess the US for a plain `en`.
 */
export function regionOf(locale: string): string {
  try {
    return new Intl.Locale(locale).region ?? 'NG';
  } catch {
    return 'NG';
  }
}

function asCountry(region: string): CountryCode | undefined {
  return /^[A-Z]{2}$/u.test(region) ? (region as CountryCode) : undefined;
}

/** Chat answers arrive with line breaks and runs of spaces; the order keeps one line. */
function oneLine(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Reads a stored draft defensively: only known, well-typed fields survive. */
export function asDraft(value: unknown): DeliveryDraft {
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const draft: DeliveryDraft = {};
  if (typeof raw.name === 'string') draft.name = raw.name;
  if (typeof raw.phone === 'string') draft.phone = raw.phone;
  if (typeof raw.address === 'string') draft.address = raw.address;
  if (raw.pickup === true) draft.pickup = true;
  return draft;
}
