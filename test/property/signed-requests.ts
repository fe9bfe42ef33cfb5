import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { hostileJson, hostileString } from './hostile-values.js';
import { nearValidField, nearValidRecord, withExtraFields } from './property-runs.js';

/** Meta's `<signature>.<payload>`: HMAC-SHA256 of the base64url payload text, keyed with the app secret. */
export function signPayloadText(payload: string, secret: string): string {
  return `${createHmac('sha256', secret).update(payload).digest('base64url')}.${payload}`;
}

const encode = (bytes: string | Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The claims Meta signs, each plausible, hostile or missing. */
export function signedRequestClaims(userIds: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const hostile = hostileJson(['algorithm', 'user_id', 'issued_at']);
  const claims = nearValidRecord({
    algorithm: nearValidField(fc.constantFrom('HMAC-SHA256', 'hmac-sha256', 'HMAC-SHA1', 'none'), hostile),
    user_id: nearValidField(fc.oneof(fc.constantFrom(...userIds), fc.nat().map(String)), hostile),
    issued_at: nearValidField(fc.integer({ min: 0, max: 4_102_444_800 }), hostile, { optional: true }),
    expires: nearValidField(fc.nat(), hostile, { optional: true }),
  });
  return withExtraFields(claims, ['userId', 'issuedAt'], hostile);
}

/**
 * `signed_request` values: mostly well signed over random claims (so the parser reads past
 * the signature), then well signed over bytes that are not a JSON object, then forged,
 * altered and malformed ones.
 */
export function signedRequestValue(secret: string, userIds: readonly string[]): fc.Arbitrary<string> {
  const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{0,60}={0,3}$/);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: signedRequestClaims(userIds).map((claims) => signPayloadText(encode(JSON.stringify(claims)), secret)),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          hostileJson().map((value) => JSON.stringify(value) ?? ''),
          fc.uint8Array({ maxLength: 64 }).map((bytes) => bytes),
        )
        .map((bytes) => signPayloadText(encode(bytes), secret)),
    },
    {
      weight: 1,
      arbitrary: signedRequestClaims(userIds).map((claims) =>
        signPayloadText(encode(JSON.stringify(claims)), 'another-secret'),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(base64url, base64url).map(([signature, payload]) => `${signature}.${payload}`) },
    { weight: 1, arbitrary: fc.array(base64url, { maxLength: 4 }).map((parts) => parts.join('.')) },
    { weight: 1, arbitrary: hostileString },
  );
}
