import { PaystackError } from './paystack.errors.js';

/** What `POST /transaction/initialize` returns that we keep. */
export interface InitializedTransaction {
  authorizationUrl: string;
  accessCode: string | null;
  reference: string;
}

/** `GET /transaction/verify/:reference`, read defensively. */
export interface VerifiedTransaction {
  id: string | null;
  /** success | failed | abandoned | ongoing | pending | processing | queued | reversed | … */
  status: string;
  reference: string;
  amountMinor: number;
  currency: string;
  paidAt: Date | null;
  metadata: Record<string, unknown>;
}

export function readInitialize(payload: unknown): InitializedTransaction {
  const data = dataOf(payload);
  const url = data.authorization_url;
  // Sent to a customer as a link to pay on: nothing but https will do.
  if (typeof url !== 'string' || !/^https:\/\/\S+$/.test(url) || url.length > 2000)
    throw malformed('authorization_url');
  if (typeof data.reference !== 'string') throw malformed('reference');
  return {
    authorizationUrl: url,
    accessCode: typeof data.access_code === 'string' ? data.access_code.slice(0, 200) : null,
    reference: data.reference,
  };
}

export function readVerify(payload: unknown): VerifiedTransaction {
  const data = dataOf(payload);
  if (typeof data.status !== 'string') throw malformed('status');
  if (typeof data.reference !== 'string') throw malformed('reference');
  if (typeof data.amount !== 'number' || !Number.isSafeInteger(data.amount) || data.amount < 0)
    throw malformed('amount');
  if (typeof data.currency !== 'string' || !/^[A-Za-z]{3}$/.test(data.currency)) throw malformed('currency');
  return {
    id: typeof data.id === 'number' || typeof data.id === 'string' ? String(data.id).slice(0, 100) : null,
    status: data.status,
    reference: data.reference,
    amountMinor: data.amount,
    currency: data.currency.toUpperCase(),
    paidAt: dateOf(data.paid_at ?? data.paidAt),
    metadata: parseMetadata(data.metadata),
  };
}

/**
 * Paystack returns `metadata` as an object, a JSON string, an empty string or null,
 * depending on how the transaction was made. Anything that is not an object becomes {}.
 */
export function parseMetadata(value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  return isRecord(parsed) ? parsed : {};
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dataOf(payload: unknown): Record<string, unknown> {
  if (!isRecord(payload) || payload.status !== true || !isRecord(payload.data)) throw malformed('data');
  return payload.data;
}

function dateOf(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// A 200 without the promised fields is a proxy or an outage page more often than a real
// answer: worth another try.
function malformed(field: string): PaystackError {
  return new PaystackError('transient', 'malformed_response', `Unexpected answer from Paystack (${field})`);
}
