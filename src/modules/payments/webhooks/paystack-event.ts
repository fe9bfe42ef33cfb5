import { sha256Hex } from '../../../common/crypto/tokens.js';
import { isRecord, parseMetadata } from '../paystack/paystack-wire.js';

/** A Paystack webhook as stored: what it is, how it is deduplicated, which payment it names. */
export interface PaystackEvent {
  event: string;
  dedupeKey: string;
  /** The transaction reference the event is about, when it names one. */
  reference: string | null;
  /** Only the allowlisted fields (see `storedPayload`). */
  payload: Record<string, unknown>;
  /** False for a signed body that is not shaped like an event: kept as `ignored`, never applied. */
  readable: boolean;
}

const EVENT_NAME = /^[a-z0-9_.]{1,100}$/i;
/** The `dedupe_key` column's bound. */
const MAX_DEDUPE_KEY_LENGTH = 300;
// NUL, and half of a surrogate pair: Postgres refuses both in text and jsonb, so a value
// holding one is not something we sent, and would fail the insert Paystack awaits.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (value: string) => !UNSTORABLE.test(value);
/** Stands in for the name of an event that has none we can store. */
export const MALFORMED_EVENT = '(malformed)';

/**
 * Reads a verified webhook body. Paystack signs no timestamp and sends no event id, so a
 * delivery is known by event + `data.id`, or event + reference, or else its exact bytes.
 * Never throws: a body Paystack signed is acknowledged whatever its shape, or Paystack
 * would retry it for 72 hours.
 */
export function readPaystackEvent(body: unknown, rawBody: Buffer): PaystackEvent {
  const name = isRecord(body) && typeof body.event === 'string' && EVENT_NAME.test(body.event) ? body.event : null;
  const bodyKey = `body:${sha256Hex(rawBody.toString('binary'))}`;
  if (!name || !isRecord(body) || !isRecord(body.data)) {
    const event = name ?? MALFORMED_EVENT;
    return { event, dedupeKey: `${event}:${bodyKey}`, reference: null, payload: { event }, readable: false };
  }
  const { data } = body;
  const reference = referenceOf(name, data);
  const id = idOf(data.id);
  const dedupeKey = id ? `${name}:id:${id}` : reference ? referenceKey(name, reference) : `${name}:${bodyKey}`;
  return { event: name, dedupeKey, reference, payload: storedPayload(name, data, reference), readable: true };
}

/** Charges carry their reference; refunds and disputes name the charge they are about. */
export function referenceOf(event: string, data: Record<string, unknown>): string | null {
  const transaction = isRecord(data.transaction) ? data.transaction : {};
  const candidates = event.startsWith('charge.dispute')
    ? [transaction.reference, data.transaction_reference]
    : event.startsWith('refund.')
      ? [data.transaction_reference, transaction.reference]
      : [data.reference];
  const found = candidates.find(
    (value) => typeof value === 'string' && value.length > 0 && value.length <= 200 && storable(value),
  );
  return (found as string | undefined) ?? null;
}

/** A long event name with a long reference would not fit the column: the reference's hash stands in. */
function referenceKey(event: string, reference: string): string {
  const key = `${event}:ref:${reference}`;
  return key.length <= MAX_DEDUPE_KEY_LENGTH ? key : `${event}:ref-sha256:${sha256Hex(reference)}`;
}

/**
 * What is kept of an event: enough to apply it and to answer a question about it later.
 * Never `authorization` (a reusable card token), `customer`, `log` or the payer's IP:
 * nothing here needs them, and a stored copy is one more place to leak them from.
 * `reference` is the charge the event is about (a refund's `transaction_reference`).
 */
export function storedPayload(
  event: string,
  data: Record<string, unknown>,
  reference: string | null,
): Record<string, unknown> {
  return {
    event,
    data: {
      id: idOf(data.id) ?? undefined,
      reference: reference ?? undefined,
      amount: amountOf(data.amount),
      currency: text(data.currency, 3),
      status: text(data.status, 50),
      paid_at: text(data.paid_at ?? data.paidAt, 50),
      channel: text(data.channel, 50),
      metadata: ourMetadata(data.metadata),
    },
  };
}

/** Only the ids we put there ourselves when creating the link. */
function ourMetadata(value: unknown): Record<string, string | number> | undefined {
  const metadata = parseMetadata(value);
  const kept: Record<string, string | number> = {};
  for (const key of ['tenant_id', 'order_id', 'order_number']) {
    const field = metadata[key];
    if ((typeof field === 'string' && field.length <= 100 && storable(field)) || Number.isSafeInteger(field)) {
      kept[key] = field as string | number;
    }
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function idOf(value: unknown): string | null {
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  const id = String(value).slice(0, 100);
  return id !== '' && storable(id) ? id : null;
}

function amountOf(value: unknown): number | string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? value : undefined;
}

function text(value: unknown, max: number): string | undefined {
  const cut = typeof value === 'string' ? value.slice(0, max) : undefined;
  return cut !== undefined && storable(cut) ? cut : undefined;
}
