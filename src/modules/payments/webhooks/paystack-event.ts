import { sha256Hex } from '../../../common/crypto/tokens.js';
import { PaymentErrors } from '../payments.errors.js';
import { isRecord } from '../paystack/paystack-wire.js';

/** A Paystack webhook as stored: what it is, how it is deduplicated, which payment it names. */
export interface PaystackEvent {
  event: string;
  dedupeKey: string;
  /** The transaction reference the event is about, when it names one. */
  reference: string | null;
  payload: Record<string, unknown>;
}

const EVENT_NAME = /^[a-z0-9_.]{1,100}$/i;

/**
 * Reads a verified webhook body. Paystack signs no timestamp and sends no event id, so a
 * delivery is known by event + `data.id`, or event + reference, or else its exact bytes.
 */
export function readPaystackEvent(body: unknown, rawBody: Buffer): PaystackEvent {
  if (!isRecord(body) || typeof body.event !== 'string' || !EVENT_NAME.test(body.event) || !isRecord(body.data)) {
    throw PaymentErrors.malformedEvent();
  }
  const { event, data } = body;
  const reference = referenceOf(event, data);
  const id = typeof data.id === 'number' || typeof data.id === 'string' ? String(data.id).slice(0, 100) : '';
  const dedupeKey = id
    ? `${event}:id:${id}`
    : reference
      ? `${event}:ref:${reference}`
      : `${event}:body:${sha256Hex(rawBody.toString('binary'))}`;
  return { event, dedupeKey, reference, payload: body };
}

/** Charges carry their reference; refunds and disputes name the charge they are about. */
export function referenceOf(event: string, data: Record<string, unknown>): string | null {
  const transaction = isRecord(data.transaction) ? data.transaction : {};
  const candidates = event.startsWith('charge.dispute')
    ? [transaction.reference, data.transaction_reference]
    : event.startsWith('refund.')
      ? [data.transaction_reference, transaction.reference]
      : [data.reference];
  const found = candidates.find((value) => typeof value === 'string' && value.length > 0 && value.length <= 200);
  return (found as string | undefined) ?? null;
}
