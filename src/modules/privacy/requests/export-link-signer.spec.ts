import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../../config/app-config.js';
import { ExportLinkSigner } from './export-link-signer.js';

const signer = new ExportLinkSigner({ auth: { jwtSecret: 'unit-test-secret' } } as AppConfig);
const claims = { tenantId: randomUUID(), requestId: randomUUID() };
const inAnHour = () => new Date(Date.now() + 3600_000);

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('ExportLinkSigner', () => {
  it('verifies its own token and names the request', () => {
    expect(signer.verify(signer.sign(claims, inAnHour()))).toEqual(claims);
  });

  it('answers link_expired for a genuine token past its time', () => {
    expect(codeOf(() => signer.verify(signer.sign(claims, new Date(Date.now() - 1000))))).toBe('link_expired');
  });

  it('answers not_found for any changed character, another key, or garbage', () => {
    const token = signer.sign(claims, inAnHour());
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(codeOf(() => signer.verify(changed))).toBe('not_found');
    }
    const other = new ExportLinkSigner({ auth: { jwtSecret: 'another-secret' } } as AppConfig);
    expect(codeOf(() => signer.verify(other.sign(claims, inAnHour())))).toBe('not_found');
    for (const junk of ['', 'abc', undefined, 42, `${token}x`])
      expect(codeOf(() => signer.verify(junk))).toBe('not_found');
  });
});
