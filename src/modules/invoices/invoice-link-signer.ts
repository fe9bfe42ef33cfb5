import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../../common/uuid.js';
import { AppConfig } from '../../config/app-config.js';
import { InvoiceErrors } from './invoices.errors.js';

/** Names this use of the JWT secret, so a key derived for anything else never verifies a link. */
const KEY_LABEL = 'hawker/invoice-link/v1';
const VERSION = 1;
// version (1) + tenant id (16) + invoice id (16) + expiry in Unix seconds (4): 50 characters
// once encoded, so that with its signature the token fits Fastify's 100-character limit on
// a path parameter.
const PAYLOAD_BYTES = 37;
const TOKEN = /^[A-Za-z0-9_-]{50}\.[A-Za-z0-9_-]{43}$/;
const MAX_EXPIRY = 0xffffffff;

export interface InvoiceLinkClaims {
  tenantId: string;
  invoiceId: string;
}

/**
 * Signs and checks the public invoice links customers open from the chat:
 * `base64url(payload) "." base64url(HMAC-SHA256(payload))`, the key derived (HKDF) from the
 * JWT secret. The link is the customer's only credential, so it names one invoice of one
 * tenant and expires.
 */
@Injectable()
export class InvoiceLinkSigner {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, '', KEY_LABEL, 32));
    this.ttlSeconds = config.invoices.linkTtlSeconds;
  }

  /** A token valid for the configured time from `now` (tests pass a past `now` to mint an expired one). */
  sign(claims: InvoiceLinkClaims, now: Date = new Date()): string {
    if (!isUuid(claims.tenantId) || !isUuid(claims.invoiceId)) throw new RangeError('Invoice links name uuids');
    const expiry = Math.floor(now.getTime() / 1000) + this.ttlSeconds;
    if (!Number.isSafeInteger(expiry) || expiry < 0 || expiry > MAX_EXPIRY) throw new RangeError('Bad link expiry');
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    payload.writeUInt8(VERSION, 0);
    Buffer.from(claims.tenantId.replace(/-/g, ''), 'hex').copy(payload, 1);
    Buffer.from(claims.invoiceId.replace(/-/g, ''), 'hex').copy(payload, 17);
    payload.writeUInt32BE(expiry, 33);
    const text = payload.toString('base64url');
    return `${text}.${this.signatureOf(text)}`;
  }

  /**
   * The invoice a token names. Throws `not_found` for anything malformed or tampered with,
   * and `link_expired` only for a genuine token past its time, so an expiry answer never
   * confirms a forgery.
   */
  verify(token: string, now: Date = new Date()): InvoiceLinkClaims {
    if (typeof token !== 'string' || !TOKEN.test(token)) throw InvoiceErrors.notFound();
    const [text, signature] = token.split('.') as [string, string];
    // Compared as text, not decoded bytes: base64 decoding ignores a final character's
    // spare bits, and a changed character must never pass.
    const expected = Buffer.from(this.signatureOf(text));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw InvoiceErrors.notFound();
    const payload = Buffer.from(text, 'base64url');
    if (payload.length !== PAYLOAD_BYTES || payload.readUInt8(0) !== VERSION) throw InvoiceErrors.notFound();
    if (payload.readUInt32BE(33) * 1000 <= now.getTime()) throw InvoiceErrors.linkExpired();
    return { tenantId: uuidOf(payload.subarray(1, 17)), invoiceId: uuidOf(payload.subarray(17, 33)) };
  }

  private signatureOf(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
