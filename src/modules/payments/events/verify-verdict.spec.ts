import { verifyVerdict } from './verify-verdict.js';

const expected = { reference: 'hwk-7-abc', tenantId: 'tenant-a' };
const verified = (status: string, extra: { reference?: string; metadata?: Record<string, unknown> } = {}) => ({
  status,
  reference: extra.reference ?? expected.reference,
  metadata: extra.metadata ?? { tenant_id: 'tenant-a' },
});

describe('verifyVerdict', () => {
  it('applies a success for our reference and tenant, with or without metadata', () => {
    expect(verifyVerdict(verified('success'), expected)).toEqual({ kind: 'apply' });
    expect(verifyVerdict(verified('success', { metadata: {} }), expected)).toEqual({ kind: 'apply' });
  });

  it('asks again later while Paystack is still working on the payment', () => {
    for (const status of ['pending', 'ongoing', 'processing', 'queued']) {
      expect(verifyVerdict(verified(status), expected)).toEqual({ kind: 'not_final', status });
    }
  });

  it('fails, for staff to check, a reversal, a failure and an answer about another payment', () => {
    expect(verifyVerdict(verified('reversed'), expected)).toEqual({
      kind: 'settle',
      status: 'failed',
      outcome: 'not_successful:reversed',
    });
    expect(verifyVerdict(verified('failed'), expected)).toMatchObject({ status: 'failed' });
    expect(verifyVerdict(verified('success', { reference: 'hwk-8-def' }), expected)).toEqual({
      kind: 'settle',
      status: 'failed',
      outcome: 'verify_mismatch',
    });
    expect(verifyVerdict(verified('success', { metadata: { tenant_id: 'tenant-b' } }), expected)).toMatchObject({
      outcome: 'verify_mismatch',
    });
  });

  it('ignores an abandoned checkout and keeps an odd status a short code', () => {
    expect(verifyVerdict(verified('abandoned'), expected)).toMatchObject({ status: 'ignored' });
    expect(verifyVerdict(verified('Weird Status <script>'), expected)).toMatchObject({
      outcome: 'not_successful:weirdstatusscript',
    });
  });
});
