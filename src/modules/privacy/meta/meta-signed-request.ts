import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequestPayload {
  userId: string;
  issuedAt?: number;
  algorithm: 'HMAC-SHA256';
  [key: string]: unknown;
}

export type SignedRequestResult =
  { ok: true; payload: SignedRequestPayload } | { ok: false; reason: 'malformed' | 'bad_signature' | 'bad_algorithm' };

// Meta's own samples also accept the form with padding, so tolerate it.
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
// Real values are a few hundred characters; the cap keeps hostile input cheap to refuse.
const MAX_SIGNED_REQUEST_LENGTH = 8192;
const SHA256_BYTES = 32;

/**
 * Parses the `signed_request` of Meta's deauthorize and data-deletion callbacks
 * (`<sig>.<payload>`, both base64url). The signature is checked before the payload is
 * decoded, so nothing unauthenticated is ever interpreted. Never throws.
 */
export function parseSignedRequest(value: unknown, appSecret: string): SignedRequestResult {
  const parts = splitSignedRequest(value);
  if (!parts) return { ok: false, reason: 'malformed' };
  if (!hasValidSignature(parts.signature, parts.payload, appSecret)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const claims = decodeJsonObject(parts.payload);
  if (!claims) return { ok: false, reason: 'malformed' };
  // Meta's reference code compares the algorithm case-insensitively.
  if (typeof claims.algorithm !== 'string' || claims.algorithm.toUpperCase() !== 'HMAC-SHA256') {
    return { ok: false, reason: 'bad_algorithm' };
  }
  if (typeof claims.user_id !== 'string' || claims.user_id === '') {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, payload: toPayload(claims, claims.user_id) };
}

function splitSignedRequest(value: unknown): { signature: string; payload: string } | undefined {
  if (typeof value !== 'string' || value.length > MAX_SIGNED_REQUEST_LENGTH) return undefined;
  const parts = value.split('.');
  if (parts.length !== 2) return undefined;
  const [signature, payload] = parts;
  if (!BASE64URL.test(signature) || !BASE64URL.test(payload)) return undefined;
  return { signature, payload };
}

/** The HMAC covers the base64url payload text as received, not the decoded JSON. */
function hasValidSignature(signature: string, payload: string, appSecret: string): boolean {
  // An empty secret would let anyone sign, so it must never validate anything.
  if (typeof appSecret !== 'string' || appSecret === '') return false;
  const received = Buffer.from(signature, 'base64url');
  if (received.length !== SHA256_BYTES) return false;
  const expected = createHmac('sha256', appSecret).update(payload).digest();
  return timingSafeEqual(received, expected);
}

function decodeJsonObject(base64url: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps Meta's raw claims alongside the typed ones, which always win over same-named keys. */
function toPayload(claims: Record<string, unknown>, userId: string): SignedRequestPayload {
  const issuedAt = claims.issued_at;
  const payload: SignedRequestPayload = { ...claims, algorithm: 'HMAC-SHA256', userId };
  delete payload.issuedAt;
  if (typeof issuedAt === 'number' && Number.isFinite(issuedAt)) payload.issuedAt = issuedAt;
  return payload;
}
