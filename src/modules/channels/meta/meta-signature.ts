import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_HEADER_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `X-Hub-Signature-256` against the HMAC-SHA256 of the body bytes exactly as
 * received: Meta signs its escaped wire form, so re-serialised JSON would not match.
 * Any malformed input is a plain `false` so the webhook answers 401 rather than 500.
 */
export function verifyMetaSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  // An empty secret would let anyone compute a valid signature, so it must never pass.
  if (!Buffer.isBuffer(rawBody) || typeof appSecret !== 'string' || appSecret === '') {
    return false;
  }
  const received = decodeSignatureHeader(header);
  if (received === undefined) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function decodeSignatureHeader(header: unknown): Buffer | undefined {
  if (typeof header !== 'string') return undefined;
  const match = SIGNATURE_HEADER_FORMAT.exec(header.trim());
  return match ? Buffer.from(match[1], 'hex') : undefined;
}
