import { AppError } from '../../../common/errors/app-error.js';
import { verifiedMetaUserId } from './signed-request-body.js';

// Test vector from PLATFORM-APIS §4.
const SECRET = 'client_secret_shhhhhh!';
const SIGNED_REQUEST =
  'w5ZbbWP9yOwBA1uJZbc7-9gZok0O42U4i0yyvxXE_jY.eyJhbGdvcml0aG0iOiJITUFDLVNIQTI1NiIsImV4cGlyZXMiOjEyOTE4NDA0MDAsImlzc3VlZF9hdCI6MTI5MTgzNjgwMCwidXNlcl9pZCI6IjIxODQ3MSJ9';

function refusal(body: unknown, secret = SECRET): { code: string; reason: unknown } | undefined {
  try {
    verifiedMetaUserId(body, secret);
    return undefined;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, reason: error.details?.reason };
  }
}

describe('verifiedMetaUserId', () => {
  it('reads the user id of the documented test vector from a parsed form body', () => {
    expect(verifiedMetaUserId({ signed_request: SIGNED_REQUEST }, SECRET)).toBe('218471');
  });

  it('refuses the test vector under another app secret', () => {
    expect(refusal({ signed_request: SIGNED_REQUEST }, 'test-meta-app-secret')).toEqual({
      code: 'invalid_signed_request',
      reason: 'bad_signature',
    });
  });

  it('refuses a body without signed_request', () => {
    expect(refusal({})).toEqual({ code: 'invalid_signed_request', reason: 'missing' });
    expect(refusal(undefined)).toEqual({ code: 'invalid_signed_request', reason: 'missing' });
    expect(refusal('signed_request=x')).toEqual({ code: 'invalid_signed_request', reason: 'missing' });
  });

  it('refuses a repeated field (parsed as an array) as malformed', () => {
    expect(refusal({ signed_request: [SIGNED_REQUEST, SIGNED_REQUEST] })).toEqual({
      code: 'invalid_signed_request',
      reason: 'malformed',
    });
  });
});
