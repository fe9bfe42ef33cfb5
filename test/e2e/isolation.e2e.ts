import { randomUUID } from 'node:crypto';
import { TenantDb } from '../../src/database/tenant-db.js';
import { addMember, signUp, type Account } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let a: Account;
let b: Account;
beforeAll(async () => {
  t = await startTestApp();
  a = await signUp(t, { businessName: 'Tenant A' });
  b = await signUp(t, { businessName: 'Tenant B' });
});
afterAll(() => t.close());

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

async function tenantRoutes(): Promise<{ method: string; path: string }[]> {
  const doc = (await t.http().get('/docs/openapi.json').expect(200)).body as OpenApiDocument;
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/tenants/{tenantId}'))
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method, path })));
}

describe('the application lock', () => {
  it('answers 404 to a member of another tenant on every tenant route', async () => {
    const routes = await tenantRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(7);
    for (const route of routes) {
      const path = route.path.replace('{tenantId}', a.tenantId).replace(/\{[^}]+\}/g, randomUUID());
      const res = await t.http()[route.method as 'get'](path).set(b.auth).send({});
      expect({ route: `${route.method} ${route.path}`, status: res.status, code: res.body?.error?.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 404,
        code: 'not_found',
      });
    }
  });

  it('answers 401 without a token and 404 for a tenant id that does not exist', async () => {
    await t.http().get(`/v1/tenants/${a.tenantId}`).expect(401);
    await t.http().get(`/v1/tenants/${randomUUID()}`).set(a.auth).expect(404);
    await t.http().get('/v1/tenants/not-a-uuid').set(a.auth).expect(404);
  });

  it('gives staff 403 on member management and admin settings', async () => {
    const staff = await addMember(t, a, 'staff');
    await t.http().get(`/v1/tenants/${a.tenantId}/members`).set(staff.auth).expect(200);
    const invite = await t
      .http()
      .post(`/v1/tenants/${a.tenantId}/invitations`)
      .set(staff.auth)
      .send({ email: 'x@example.com', role: 'staff' })
      .expect(403);
    expect(invite.body.error.code).toBe('forbidden');
    await t
      .http()
      .patch(`/v1/tenants/${a.tenantId}/members/${a.userId}`)
      .set(staff.auth)
      .send({ role: 'staff' })
      .expect(403);
    await t.http().delete(`/v1/tenants/${a.tenantId}/members/${a.userId}`).set(staff.auth).expect(403);
    await t.http().patch(`/v1/tenants/${a.tenantId}`).set(staff.auth).send({ name: 'Taken over' }).expect(403);
    await t.http().get(`/v1/tenants/${a.tenantId}/audit-log`).set(staff.auth).expect(403);
  });
});

describe('the database lock', () => {
  it('shows no tenant rows to a query outside TenantDb.run', async () => {
    const rows = await t.dataSource.query('SELECT * FROM audit_log');
    expect(rows).toEqual([]);
  });

  it('shows only the current tenant’s rows inside TenantDb.run, even without a WHERE', async () => {
    const rows = await t.app
      .get(TenantDb)
      .run({ tenantId: a.tenantId }, (tx) => tx.query('SELECT tenant_id FROM audit_log'));
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r: { tenant_id: string }) => r.tenant_id))).toEqual(new Set([a.tenantId]));
  });

  it('refuses to write another tenant’s id inside a tenant transaction', async () => {
    const attempt = t.app
      .get(TenantDb)
      .run({ tenantId: a.tenantId }, (tx) =>
        tx.query(`INSERT INTO audit_log (tenant_id, actor_type, action) VALUES ($1, 'system', 'test.forged')`, [
          b.tenantId,
        ]),
      );
    await expect(attempt).rejects.toThrow(/row-level security/);
    const [{ count }] = await t.app
      .get(TenantDb)
      .run({ tenantId: b.tenantId }, (tx) =>
        tx.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'test.forged'`),
      );
    expect(count).toBe(0);
  });

  it('keeps the audit log append-only for the application', async () => {
    const attempt = t.app.get(TenantDb).run({ tenantId: a.tenantId }, (tx) => tx.query(`DELETE FROM audit_log`));
    await expect(attempt).rejects.toThrow(/permission denied/);
  });
});
