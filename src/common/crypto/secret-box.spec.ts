import { maskSecret, SecretBox } from './secret-box.js';

const key = (id: string, byte: number) => ({ id, key: Buffer.alloc(32, byte) });

describe('SecretBox', () => {
  it('seals and opens, never storing the plaintext', () => {
    const box = new SecretBox([key('k1', 1)]);
    const sealed = box.seal('EAAG-secret-token', 'tenant-a');
    expect(sealed).not.toContain('EAAG');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(box.open(sealed, 'tenant-a')).toBe('EAAG-secret-token');
  });

  it('refuses a value moved to another owner or tampered with', () => {
    const box = new SecretBox([key('k1', 1)]);
    const sealed = box.seal('secret', 'tenant-a');
    expect(() => box.open(sealed, 'tenant-b')).toThrow();
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'tenant-a')).toThrow();
  });

  it('opens values sealed with an older key after rotation and flags them for re-sealing', () => {
    const old = new SecretBox([key('k1', 1)]).seal('secret');
    const rotated = new SecretBox([key('k2', 2), key('k1', 1)]);
    expect(rotated.open(old)).toBe('secret');
    expect(rotated.needsRotation(old)).toBe(true);
    expect(rotated.needsRotation(rotated.seal('secret'))).toBe(false);
  });

  it('masks a secret to its last four characters', () => {
    expect(maskSecret('sk_test_abcdef1234')).toBe('••••1234');
    expect(maskSecret('abc')).toBe('••••');
  });
});
