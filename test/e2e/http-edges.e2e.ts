import { signUp } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const countUsers = async () =>
  (await t.dataSource.query(`SELECT count(*)::int AS count FROM users`))[0].count as number;

describe('HTTP edges', () => {
  it('refuses a 2 MiB body with 413 and stores nothing', async () => {
    const before = await countUsers();
    const res = await t
      .http()
      .post('/v1/auth/signup')
      .set('content-type', 'application/json')
      .send(
        JSON.stringify({
          email: 'big@example.com',
          password: 'long enough pw',
          name: 'x'.repeat(2 * 1024 * 1024),
          businessName: 'B',
        }),
      )
      .expect(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', requestId: expect.any(String) });
    expect(await countUsers()).toBe(before);
  });

  it('answers malformed JSON with 400 in the one error shape', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(res.body.error.code).toBe('malformed_body');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
  });

  it('names an unknown field and changes nothing', async () => {
    const owner = await signUp(t, { businessName: 'Original' });
    const res = await t
      .http()
      .patch(`/v1/tenants/${owner.tenantId}`)
      .set(owner.auth)
      .send({ name: 'New', plan: 'enterprise' })
      .expect(400);
    expect(res.body.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: { plan: expect.any(Array) } },
    });
    const tenant = await t.http().get(`/v1/tenants/${owner.tenantId}`).set(owner.auth).expect(200);
    expect(tenant.body.name).toBe('Original');
  });

  it('echoes a request id and sets security headers', async () => {
    const res = await t.http().get('/health/live').set('x-request-id', 'req-12345678').expect(200);
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers an unknown route with 404 not_found', async () => {
    const res = await t.http().get('/v1/nothing-here').expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('serves the OpenAPI document with every route, and Prometheus metrics', async () => {
    const doc = await t.http().get('/docs/openapi.json').expect(200);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/v1/auth/signup',
      '/v1/auth/login',
      '/v1/auth/refresh',
      '/v1/auth/logout',
      '/v1/me',
      '/v1/tenants/{tenantId}',
      '/v1/tenants/{tenantId}/members',
      '/v1/tenants/{tenantId}/invitations',
      '/v1/invitations/accept',
      '/v1/tenants/{tenantId}/audit-log',
      '/v1/admin/tenants',
      '/v1/admin/queues',
      '/health/ready',
    ]) {
      expect(paths).toContain(path);
    }
    await t.http().get('/docs').expect(200).expect('content-type', /html/);
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.text).toMatch(/# TYPE hawker_http_request_duration_seconds histogram/);
    expect(metrics.text).toMatch(/hawker_process_cpu_seconds_total/);
  });

  it('reports readiness of PostgreSQL and Redis', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });
});
