import { createHmac } from 'node:crypto';
import { verifyMetaSignature } from './meta-signature.js';

// Test vector from PLATFORM-APIS §1.
const SECRET = 'app_secret_123';
const BODY = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const DIGEST_HEX = '02fe0c96d28c59ddb7cf81eff0ca05809b360ba73b63c28210b5906a0a107d1f';
const HEADER = `sha256=${DIGEST_HEX}`;

function signatureOf(body: Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe('verifyMetaSignature', () => {
  it('accepts the documented test vector', () => {
    expect(verifyMetaSignature(BODY, HEADER, SECRET)).toBe(true);
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    expect(verifyMetaSignature(BODY, ` sha256=${DIGEST_HEX.toUpperCase()} `, SECRET)).toBe(true);
  });

  it('refuses a body changed by one byte', () => {
    const tampered = Buffer.from('{"object":"whatsapp_business_account","entry":[ ]}');
    expect(verifyMetaSignature(tampered, HEADER, SECRET)).toBe(false);
  });

  it('refuses the right body signed with another secret', () => {
    expect(verifyMetaSignature(BODY, signatureOf(BODY, 'other_secret'), SECRET)).toBe(false);
  });

  it('signs the escaped bytes on the wire, not the re-serialised JSON', () => {
    const wire = Buffer.from('{"text":"\\u00e4"}');
    const header = signatureOf(wire, SECRET);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(wire.toString())));
    expect(verifyMetaSignature(wire, header, SECRET)).toBe(true);
    expect(verifyMetaSignature(reserialised, header, SECRET)).toBe(false);
  });

  it.each([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['the bare hex without prefix', DIGEST_HEX],
    ['the legacy sha1 form', 'sha1=0123456789abcdef0123456789abcdef01234567'],
    ['a truncated digest', HEADER.slice(0, -2)],
    ['a digest one byte too long', `${HEADER}00`],
    ['non-hex characters', `${HEADER.slice(0, -1)}z`],
    ['two signatures', `${HEADER},${HEADER}`],
  ])('refuses %s without throwing', (_label, header) => {
    expect(verifyMetaSignature(BODY, header, SECRET)).toBe(false);
  });

  it('refuses everything when the secret is empty, even a signature made with it', () => {
    expect(verifyMetaSignature(BODY, signatureOf(BODY, ''), '')).toBe(false);
  });

  it('refuses values of the wrong type that slip past the compiler', () => {
    const notABuffer = '{"object":"whatsapp_business_account","entry":[]}' as unknown as Buffer;
    const headerArray = [HEADER] as unknown as string;
    expect(verifyMetaSignature(notABuffer, HEADER, SECRET)).toBe(false);
    expect(verifyMetaSignature(BODY, headerArray, SECRET)).toBe(false);
    expect(verifyMetaSignature(BODY, HEADER, undefined as unknown as string)).toBe(false);
  });
});
