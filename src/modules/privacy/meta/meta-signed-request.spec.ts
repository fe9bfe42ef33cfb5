import { createHmac } from 'node:crypto';
import { parseSignedRequest } from './meta-signed-request.js';

// Test vector from PLATFORM-APIS §4.
const SECRET = 'client_secret_shhhhhh!';
const SIGNED_REQUEST =
  'w5ZbbWP9yOwBA1uJZbc7-9gZok0O42U4i0yyvxXE_jY.eyJhbGdvcml0aG0iOiJITUFDLVNIQTI1NiIsImV4cGlyZXMiOjEyOTE4NDA0MDAsImlzc3VlZF9hdCI6MTI5MTgzNjgwMCwidXNlcl9pZCI6IjIxODQ3MSJ9';
const [VECTOR_SIGNATURE, VECTOR_PAYLOAD] = SIGNED_REQUEST.split('.');

/** Builds a signed_request the way Meta does, for claims the test vector does not cover. */
function signedRequestFor(claims: unknown, secret = SECRET): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(payload).digest('base64url');
  return `${signature}.${payload}`;
}

describe('parseSignedRequest', () => {
  it('accepts the documented test vector and exposes its claims', () => {
    const result = parseSignedRequest(SIGNED_REQUEST, SECRET);
    expect(result).toEqual({
      ok: true,
      payload: expect.objectContaining({
        algorithm: 'HMAC-SHA256',
        userId: '218471',
        issuedAt: 1291836800,
        expires: 1291840400,
      }),
    });
  });

  it('refuses the test vector under another secret', () => {
    expect(parseSignedRequest(SIGNED_REQUEST, 'other_secret')).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a payload altered after signing', () => {
    const forged = Buffer.from(
      '{"algorithm":"HMAC-SHA256","expires":1291840400,"issued_at":1291836800,"user_id":"999999"}',
    ).toString('base64url');
    expect(parseSignedRequest(`${VECTOR_SIGNATURE}.${forged}`, SECRET)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a truncated signature', () => {
    expect(parseSignedRequest(`${VECTOR_SIGNATURE.slice(0, -2)}.${VECTOR_PAYLOAD}`, SECRET)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('tolerates base64 padding on both parts', () => {
    const padded = signedRequestFor({ algorithm: 'HMAC-SHA256', user_id: '7' }).replace('.', '=.');
    expect(parseSignedRequest(padded, SECRET)).toMatchObject({
      ok: true,
      payload: { userId: '7' },
    });
  });

  it('refuses a correctly signed payload that names another algorithm', () => {
    const value = signedRequestFor({ algorithm: 'HMAC-SHA1', user_id: '218471' });
    expect(parseSignedRequest(value, SECRET)).toEqual({ ok: false, reason: 'bad_algorithm' });
  });

  it('refuses a correctly signed payload without an algorithm', () => {
    expect(parseSignedRequest(signedRequestFor({ user_id: '218471' }), SECRET)).toEqual({
      ok: false,
      reason: 'bad_algorithm',
    });
  });

  it('accepts the algorithm name in lower case, as Meta’s reference code does', () => {
    const value = signedRequestFor({ algorithm: 'hmac-sha256', user_id: '5' });
    expect(parseSignedRequest(value, SECRET)).toMatchObject({
      ok: true,
      payload: { algorithm: 'HMAC-SHA256' },
    });
  });

  it.each([
    ['a numeric user_id', { algorithm: 'HMAC-SHA256', user_id: 218471 }],
    ['an empty user_id', { algorithm: 'HMAC-SHA256', user_id: '' }],
    ['no user_id', { algorithm: 'HMAC-SHA256' }],
    ['a JSON array', ['HMAC-SHA256', '218471']],
    ['JSON null', null],
  ])('calls a correctly signed payload with %s malformed', (_label, claims) => {
    expect(parseSignedRequest(signedRequestFor(claims), SECRET)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('calls a correctly signed payload that is not JSON malformed', () => {
    const payload = Buffer.from('not json').toString('base64url');
    const signature = createHmac('sha256', SECRET).update(payload).digest('base64url');
    expect(parseSignedRequest(`${signature}.${payload}`, SECRET)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('never lets claims in the payload override the typed fields', () => {
    const value = signedRequestFor({
      algorithm: 'HMAC-SHA256',
      user_id: '1',
      userId: '2',
      issuedAt: 'x',
    });
    const result = parseSignedRequest(value, SECRET);
    expect(result).toMatchObject({ ok: true, payload: { userId: '1' } });
    expect(result.ok && 'issuedAt' in result.payload).toBe(false);
  });

  it.each([
    ['undefined', undefined],
    ['a number', 42],
    ['an object', { signed_request: SIGNED_REQUEST }],
    ['an empty string', ''],
    ['no dot', VECTOR_PAYLOAD],
    ['three parts', `${SIGNED_REQUEST}.extra`],
    ['an empty signature', `.${VECTOR_PAYLOAD}`],
    ['an empty payload', `${VECTOR_SIGNATURE}.`],
    ['standard base64 characters', `${VECTOR_SIGNATURE.replace('-', '+')}.${VECTOR_PAYLOAD}`],
    ['whitespace inside', `${VECTOR_SIGNATURE} .${VECTOR_PAYLOAD}`],
    ['an oversized value', `${'a'.repeat(10_000)}.${VECTOR_PAYLOAD}`],
  ])('calls %s malformed', (_label, value) => {
    expect(parseSignedRequest(value, SECRET)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses everything when the secret is empty, even a value signed with it', () => {
    const value = signedRequestFor({ algorithm: 'HMAC-SHA256', user_id: '1' }, '');
    expect(parseSignedRequest(value, '')).toEqual({ ok: false, reason: 'bad_signature' });
  });
});
