import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../../../common/uuid.js';
import { AppConfig } from '../../../config/app-config.js';
import { PrivacyErrors } from './privacy-requests.errors.js';

/** Names this use of the JWT secret: a key derived for anything else never verifies a link. */
const KEY_LABEL = 'hawker/privacy-export-link/v1';
const VERSION = 1;
// version (1) + tenant id (16) + request id (16) + expiry in Unix seconds (4).
const PAYLOAD_BYTES = 37;
const TOKEN = /^[A-Za-z0-9_-]{50}\.[A-Za-z0-9_-]{43}$/;
const MAX_EXPIRY = 0xffffffff;

export interface ExportLinkClaims {
  tenantId: string;
  requestId: string;
}

/**
 * Signs and checks export download tokens: `base64url(payload) "." base64url(HMAC-SHA256)`,
 * the key derived (HKDF) from the JWT secret under its own label. A token names one
 * request of one tenant and expires with the archive. It is a second lock, not the only
 * one: the download route also requires an owner or admin of that tenant, so a leaked
 * link alone opens nothing.
 */
@Injectable()
export class ExportLinkSigner {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, '', KEY_LABEL, 32));
  }

  /** A token valid until `expiresAt` (tests pass a past time to mint an expired one). */
  sign(claims: ExportLinkClaims, expiresAt: Date): string {
    if (!isUuid(claims.tenantId) || !isUuid(claims.requestId)) throw new RangeError('Export links name uuids');
    const expiry = Math.floor(expiresAt.getTime() / 1000);
    if (!Number.isSafeInteger(expiry) || expiry < 0 || expiry > MAX_EXPIRY) throw new RangeError('Bad link expiry');
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    payload.writeUInt8(VERSION, 0);
    Buffer.from(claims.tenantId.replace(/-/g, ''), 'hex').copy(payload, 1);
    Buffer.from(claims.requestId.replace(/-/g, ''), 'hex').copy(payload, 17);
    payload.writeUInt32BE(expiry, 33);
    const text = payload.toString('base64url');
    return `${text}.${this.signatureOf(text)}`;
  }

  /**
   * The request a token names. `not_found` for anything malformed or tampered with, and
   * `link_expired` only for a genuine token past its time, so an expiry answer never
   * confirms a forgery.
   */
  verify(token: unknown, now: Date = new Date()): ExportLinkClaims {
    if (typeof token !== 'string' || !TOKEN.test(token)) throw PrivacyErrors.notFound();
    const [text, signature] = token.split('.') as [string, string];
    // Compared as text: base64 decoding ignores a final character's spare bits, and a
    // changed character must never pass.
    const expected = Buffer.from(this.signatureOf(text));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw PrivacyErrors.notFound();
    const payload = Buffer.from(text, 'base64url');
    if (payload.length !== PAYLOAD_BYTES || payload.readUInt8(0) !== VERSION) throw PrivacyErrors.notFound();
    if (payload.readUInt32BE(33) * 1000 <= now.getTime()) throw PrivacyErrors.linkExpired();
    return { tenantId: uuidOf(payload.subarray(1, 17)), requestId: uuidOf(payload.subarray(17, 33)) };
  }

  private signatureOf(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
