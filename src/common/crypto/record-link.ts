import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../uuid.js';

/** One record of one tenant, as a link names it. */
export interface RecordLinkClaims {
  tenantId: string;
  recordId: string;
}

export type RecordLinkCheck = { ok: true; claims: RecordLinkClaims } | { ok: false; reason: 'invalid' | 'expired' };

const VERSION = 1;
// version (1) + tenant id (16) + record id (16) + expiry in Unix seconds (4): 50 characters
// once encoded, so that with its signature the token fits Fastify's 100-character limit on
// a path parameter.
const PAYLOAD_BYTES = 37;
const TOKEN = /^[A-Za-z0-9_-]{50}\.[A-Za-z0-9_-]{43}$/;
const MAX_EXPIRY = 0xffffffff;

/**
 * Signed, expiring links to one record of one tenant (an invoice PDF, an export archive):
 * `base64url(payload) "." base64url(HMAC-SHA256(payload))`, the key derived (HKDF) from a
 * secret under a label of the link's own, so a link of one kind never verifies as another.
 */
export class RecordLinkSigner {
  private readonly key: Buffer;

  constructor(secret: string, label: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, '', label, 32));
  }

  sign(claims: RecordLinkClaims, expiresAt: Date): string {
    if (!isUuid(claims.tenantId) || !isUuid(claims.recordId)) throw new RangeError('Record links name uuids');
    const expiry = Math.floor(expiresAt.getTime() / 1000);
    if (!Number.isSafeInteger(expiry) || expiry < 0 || expiry > MAX_EXPIRY) throw new RangeError('Bad link expiry');
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    payload.writeUInt8(VERSION, 0);
    Buffer.from(claims.tenantId.replace(/-/g, ''), 'hex').copy(payload, 1);
    Buffer.from(claims.recordId.replace(/-/g, ''), 'hex').copy(payload, 17);
    payload.writeUInt32BE(expiry, 33);
    const text = payload.toString('base64url');
    return `${text}.${this.signatureOf(text)}`;
  }

  /**
   * `invalid` for anything malformed or tampered with, `expired` only for a genuine token
   * past its time, so an expiry answer never confirms a forgery.
   */
  check(token: unknown, now: Date = new Date()): RecordLinkCheck {
    if (typeof token !== 'string' || !TOKEN.test(token)) return { ok: false, reason: 'invalid' };
    const [text, signature] = token.split('.') as [string, string];
    // Compared as text, not decoded bytes: base64 decoding ignores a final character's
    // spare bits, and a changed character must never pass.
    const expected = Buffer.from(this.signatureOf(text));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    const payload = Buffer.from(text, 'base64url');
    if (payload.length !== PAYLOAD_BYTES || payload.readUInt8(0) !== VERSION) return { ok: false, reason: 'invalid' };
    if (payload.readUInt32BE(33) * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
    return {
      ok: true,
      claims: { tenantId: uuidOf(payload.subarray(1, 17)), recordId: uuidOf(payload.subarray(17, 33)) },
    };
  }

  private signatureOf(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
