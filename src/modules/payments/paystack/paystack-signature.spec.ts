import { paystackSignature, verifyPaystackSignature } from './paystack-signature.js';

// PLATFORM-APIS §5.
const KEY = 'sk_test_abc';
const BODY =
  '{"event":"charge.success","data":{"reference":"ref_1","amount":500000,"currency":"NGN","status":"success"}}';
const SIGNATURE =
  '3933cb0b256d4231bb74ab9159cd7958fdd17b9a73b2b197f5f336b7007944ee7abcd9986478a0e7132765461715fba0d1111ba4be6940e9241c6982b6599f38';

describe('Paystack webhook signature', () => {
  it('is the hex HMAC-SHA512 of the raw body keyed with the secret key', () => {
    expect(paystackSignature(BODY, KEY)).toBe(SIGNATURE);
  });

  it('accepts the test vector, in either case', () => {
    expect(verifyPaystackSignature(Buffer.from(BODY), SIGNATURE, KEY)).toBe(true);
    expect(verifyPaystackSignature(Buffer.from(BODY), SIGNATURE.toUpperCase(), KEY)).toBe(true);
  });

  it('refuses another key, a changed body, and malformed or missing headers', () => {
    expect(verifyPaystackSignature(Buffer.from(BODY), SIGNATURE, 'sk_test_abd')).toBe(false);
    expect(verifyPaystackSignature(Buffer.from(BODY.replace('500000', '500001')), SIGNATURE, KEY)).toBe(false);
    expect(verifyPaystackSignature(Buffer.from(BODY), SIGNATURE.slice(0, 64), KEY)).toBe(false);
    expect(verifyPaystackSignature(Buffer.from(BODY), `sha512=${SIGNATURE}`, KEY)).toBe(false);
    expect(verifyPaystackSignature(Buffer.from(BODY), 'z'.repeat(128), KEY)).toBe(false);
    expect(verifyPaystackSignature(Buffer.from(BODY), undefined, KEY)).toBe(false);
    expect(verifyPaystackSignature(Buffer.from(BODY), ['a'], KEY)).toBe(false);
    expect(verifyPaystackSignature(undefined, SIGNATURE, KEY)).toBe(false);
  });

  it('never verifies without a key, even a signature made with an empty one', () => {
    const emptyKeySignature = paystackSignature(BODY, '');
    expect(verifyPaystackSignature(Buffer.from(BODY), emptyKeySignature, undefined)).toBe(false);
    expect(verifyPaystackSignature(Buffer.from(BODY), emptyKeySignature, '')).toBe(false);
  });
});
