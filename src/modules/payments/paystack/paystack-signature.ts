import { hexDigestsEqual, hmacHex } from '../../../common/crypto/tokens.js';

/** The hex HMAC-SHA512 of the body bytes exactly as received, keyed with the secret key. */
export function paystackSignature(rawBody: Buffer | string, secretKey: string): string {
  return hmacHex('sha512', secretKey, rawBody);
}

// Signs nothing real: used when a tenant has no key, so that the answer takes as long
// either way and cannot tell a caller which tenants use Paystack.
const NO_KEY = 'sk_none_0000000000000000';

/**
 * Checks `x-paystack-signature` in constant time. Any malformed input is a plain false, so
 * the webhook answers 401 rather than 500; a missing key never verifies.
 */
export function verifyPaystackSignature(
  rawBody: Buffer | undefined,
  header: unknown,
  secretKey: string | undefined,
): boolean {
  const expected = paystackSignature(rawBody ?? '', secretKey || NO_KEY);
  const given = typeof header === 'string' ? header.trim().toLowerCase() : '';
  const matches = hexDigestsEqual(expected, given);
  return matches && rawBody !== undefined && Boolean(secretKey);
}
