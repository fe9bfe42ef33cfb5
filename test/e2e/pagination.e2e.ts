import { TenantDb } from '../../src/database/tenant-db.js';
import { signUp } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('keyset pagination', () => {
  it('visits each audit entry of one instant exactly once, a page at a time', async () => {
    const owner = await signUp(t);
    // One statement, so every row gets the transaction's now(): the same microsecond, which
    // a millisecond cursor cannot tell apart from the rest of its millisecond.
    const inserted = await t.app.get(TenantDb).run({ tenantId: owner.tenantId }, (tx) =>
      tx.query<{ id: string; at: string }[]>(
        `INSERT INTO audit_log (tenant_id, actor_type, action, details)
         SELECT $1, 'system', 'test.same_instant', jsonb_build_object('n', n) FROM generate_series(1, 5) AS n
         RETURNING id, created_at::text AS at`,
        [owner.tenantId],
      ),
    );
    expect(new Set(inserted.map((row) => row.at)).size).toBe(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t
        .http()
        .get(`/v1/tenants/${owner.tenantId}/audit-log`)
        .query({ action: 'test.same_instant', limit: 1, ...(cursor ? { cursor } : {}) })
        .set(owner.auth)
        .expect(200);
      const page = res.body as { items: { id: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((entry) => entry.id));
      cursor = page.nextCursor;
    } while (cursor && seen.length <= inserted.length);

    // Newest first, and within one instant by id, descending (uuids order as their hex text).
    expect(seen).toEqual(inserted.map((row) => row.id).sort((x, y) => (x < y ? 1 : -1)));
  });
});
