import type { VerifiedTransaction } from '../paystack/paystack-wire.js';

/** Paystack is still working on these: ask again later (PLATFORM-APIS §5). */
export const NOT_FINAL_STATUSES: readonly string[] = ['pending', 'ongoing', 'processing', 'queued'];

/**
 * What Paystack's verify answer means for a `charge.success` about one of our references:
 * apply it, ask again later, or settle it without applying. `failed` settlements are
 * about money that may have moved (a reversal, a success report verify contradicts) and
 * go to staff; an abandoned checkout is only ignored.
 */
export type VerifyVerdict =
  | { kind: 'apply' }
  | { kind: 'not_final'; status: string }
  | { kind: 'settle'; status: 'ignored' | 'failed'; outcome: string };

export function verifyVerdict(
  verified: Pick<VerifiedTransaction, 'status' | 'reference' | 'metadata'>,
  expected: { reference: string; tenantId: string },
): VerifyVerdict {
  const claimedTenant = verified.metadata.tenant_id;
  if (
    verified.reference !== expected.reference ||
    (claimedTenant !== undefined && claimedTenant !== expected.tenantId)
  ) {
    return { kind: 'settle', status: 'failed', outcome: 'verify_mismatch' };
  }
  const status = statusCode(verified.status);
  if (status === 'success') return { kind: 'apply' };
  if (NOT_FINAL_STATUSES.includes(status)) return { kind: 'not_final', status };
  if (status === 'abandoned') return { kind: 'settle', status: 'ignored', outcome: 'not_successful:abandoned' };
  return { kind: 'settle', status: 'failed', outcome: `not_successful:${status}` };
}

// Provider text ends up in an outcome code: keep it one short lowercase word.
function statusCode(status: string): string {
  return (
    status
      .toLowerCase()
      .replace(/[^a-z_]/g, '')
      .slice(0, 40) || 'unknown'
  );
}
