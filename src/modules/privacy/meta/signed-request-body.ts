import { MetaCallbackErrors } from './meta-callbacks.errors.js';
import { parseSignedRequest } from './meta-signed-request.js';

/**
 * The verified user id of a Meta callback, whose form-encoded body is
 * `signed_request=<sig>.<payload>`. Throws `invalid_signed_request` (400) for anything
 * else, before anything is looked up or changed.
 */
export function verifiedMetaUserId(body: unknown, appSecret: string): string {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).signed_request : undefined;
  if (value === undefined) throw MetaCallbackErrors.invalidSignedRequest('missing');
  const result = parseSignedRequest(value, appSecret);
  if (!result.ok) throw MetaCallbackErrors.invalidSignedRequest(result.reason);
  return result.payload.userId;
}
