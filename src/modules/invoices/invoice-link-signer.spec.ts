import type { AppConfig } from '../../config/app-config.js';
import { InvoiceLinkSigner } from './invoice-link-signer.js';

const config = (jwtSecret: string) =>
  ({ auth: { jwtSecret }, invoices: { linkTtlSeconds: 3600 } }) as unknown as AppConfig;
const signer = new InvoiceLinkSigner(config('a-secret-long-enough-for-tests-0123456789'));
const claims = { tenantId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b', invoiceId: '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d' };
const t0 = new Date('2026-03-01T10:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function changeOne(token: string, index: number): string {
  const swapped = token[index] === 'A' ? 'B' : 'A';
  return token.slice(0, index) + swapped + token.slice(index + 1);
}

describe('InvoiceLinkSigner', () => {
  it('round-trips the tenant and invoice ids and fits a Fastify path parameter', () => {
    const token = signer.sign(claims, t0);
    expect(token.length).toBeLessThanOrEqual(100);
    expect(signer.verify(token, later(3599))).toEqual(claims);
  });

  it('answers link_expired once the link has run its time', () => {
    const token = signer.sign(claims, t0);
    expect(() => signer.verify(token, later(3600))).toThrow(expect.objectContaining({ code: 'link_expired' }));
  });

  it('refuses any single changed character, even in the signature’s spare bits', () => {
    const token = signer.sign(claims, t0);
    for (let index = 0; index < token.length; index++) {
      if (token[index] === '.') continue;
      expect(() => signer.verify(changeOne(token, index), later(1))).toThrow(
        expect.objectContaining({ code: 'not_found' }),
      );
    }
  });

  it('refuses malformed tokens and tokens signed with another secret as not_found', () => {
    const other = new InvoiceLinkSigner(config('another-secret-long-enough-0123456789'));
    for (const token of ['', 'abc', 'a.b', `${'A'.repeat(50)}.${'A'.repeat(43)}`, other.sign(claims, t0)]) {
      expect(() => signer.verify(token, later(1))).toThrow(expect.objectContaining({ code: 'not_found' }));
    }
  });

  it('does not answer link_expired for an expired forgery', () => {
    const token = signer.sign(claims, t0);
    const forged = changeOne(token, 60);
    expect(() => signer.verify(forged, later(7200))).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});
