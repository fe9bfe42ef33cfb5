import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { asOwner } from '../support/as-owner.js';
import { addMember, signUp, type Account } from '../support/fixtures.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { whatsappCustomer } from '../support/whatsapp-customer.js';

let t: TestApp;
let graph: FakeGraphApi;
let exportDir: string;
let doomed: BusyShop;
let kept: BusyShop;

interface BusyShop extends Shop {
  admin: Account;
  staff: Account;
}

beforeAll(async () => {
  exportDir = await mkdtemp(join(tmpdir(), 'hawker-exports-'));
  graph = await startFakeGraphApi();
  t = await startTestApp({
    META_GRAPH_BASE_URL: graph.url,
    MAINTENANCE_INTERVAL_MS: '300',
    PRIVACY_EXPORT_DIR: exportDir,
    TENANT_DELETION_GRACE_DAYS: '30',
  });
  doomed = await busyShop();
  kept = await busyShop();
}, 120_000);

afterAll(async () => {
  await t.close();
  await graph.close();
  await rm(exportDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const api = (account: Account, method: 'get' | 'post' | 'put' | 'delete', path = '') =>
  t.http()[method](`/v1/tenants/${account.tenantId}${path}`).set(account.auth);

/**
 * A business with something in most of its tables: channels of every kind, staff, settings,
 * a customer who ordered, paid by transfer and said STOP, an invoice, and an export file.
 */
async function busyShop(): Promise<BusyShop> {
  const shop = await openShop(t, graph, { whatsapp: true, instagram: true });
  const { owner } = shop;
  const admin = await addMember(t, owner, 'admin');
  const staff = await addMember(t, owner, 'staff');
  await api(owner, 'post', '/channels')
    .send({ type: 'webchat', name: 'Website', allowedOrigins: ['https://shop.example'] })
    .expect(201);
  await api(owner, 'put', '/payment-settings')
    .send({ methods: ['bank_transfer'], bankTransferInstructions: 'GTBank 0123456789, Test Foods Ltd' })
    .expect(200);
  await api(owner, 'put', '/ai-settings').send({ enabled: false, instructions: 'Be brief.' }).expect(200);

  const customer = whatsappCustomer(t, graph, shop);
  await customer.say('menu');
  await customer.say('add 1 2');
  await customer.say('checkout');
  await customer.say('Ada Obi');
  await customer.say('0803 123 4567');
  await customer.say('12 Marina Road, Lagos');
  expect((await customer.say('confirm')).text).toMatch(/Order #1001 is placed/);
  const [order] = (await api(owner, 'get', '/orders').expect(200)).body.items as { id: string; totalMinor: number }[];
  await api(owner, 'post', `/orders/${order.id}/payments`)
    .send({ method: 'bank_transfer', amountMinor: order.totalMinor, reference: `TRF-${order.id.slice(0, 8)}` })
    .expect(201);
  await until(
    async () => (await api(owner, 'get', '/invoices').expect(200)).body.items as unknown[],
    (items) => items.length === 1,
    'the invoice',
  );
  await customer.say('stop');

  const files = join(exportDir, owner.tenantId);
  await mkdir(files, { recursive: true });
  await writeFile(join(files, 'an-export.zip'), 'PK');
  return { ...shop, admin, staff };
}

/** Every table with a tenant_id column (from information_schema), and how many rows it holds of the tenant. */
async function rowsOf(tenantId: string): Promise<Record<string, number>> {
  const tables = await asOwner<{ table_name: string }[]>(
    t,
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE'
      ORDER BY c.table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const [{ n }] = await asOwner<{ n: number }[]>(
      t,
      `SELECT count(*)::int AS n FROM "${table}" WHERE tenant_id = $1`,
      [tenantId],
    );
    counts[table] = n;
  }
  const [{ n }] = await asOwner<{ n: number }[]>(t, `SELECT count(*)::int AS n FROM tenants WHERE id = $1`, [tenantId]);
  counts.tenants = n;
  return counts;
}

const nonEmpty = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([table]) => table);

const channelsOf = (tenantId: string) =>
  asOwner<{ type: string; status: string; status_reason: string | null; access_token_sealed: string | null }[]>(
    t,
    `SELECT type, status, status_reason, access_token_sealed FROM channels WHERE tenant_id = $1 ORDER BY type`,
    [tenantId],
  );

describe('deleting a business', () => {
  it('refuses a wrong password with 403 and changes nothing', async () => {
    const res = await api(doomed.owner, 'delete').send({ password: 'not my password' }).expect(403);
    expect(res.body.error.code).toBe('invalid_credentials');
    expect((await api(doomed.owner, 'get').expect(200)).body).toMatchObject({ status: 'active', deletion: null });
    expect((await channelsOf(doomed.owner.tenantId)).map((c) => c.status)).toEqual(['active', 'active', 'active']);
    const audit = await api(doomed.owner, 'get', '/audit-log').query({ action: 'tenant.deletion_refused' }).expect(200);
    expect(audit.body.items).toHaveLength(1);
  });

  it('is for owners only, and needs the password', async () => {
    await api(doomed.admin, 'delete').send({ password: doomed.admin.password }).expect(403);
    const missing = await api(doomed.owner, 'delete').send({}).expect(400);
    expect(missing.body.error.code).toBe('validation_failed');
  });

  it('schedules the deletion, disconnects every channel at once and stops the API', async () => {
    const inbox = () =>
      asOwner<{ n: number }[]>(t, `SELECT count(*)::int AS n FROM inbox_messages WHERE tenant_id = $1`, [
        doomed.owner.tenantId,
      ]);
    const [before] = await inbox();
    const res = await api(doomed.owner, 'delete').send({ password: doomed.owner.password }).expect(202);
    expect(res.body.tenant).toMatchObject({
      id: doomed.owner.tenantId,
      status: 'pending_deletion',
      deletion: { requestedAt: expect.any(String), scheduledFor: expect.any(String) },
    });
    const { requestedAt, scheduledFor } = res.body.tenant.deletion as { requestedAt: string; scheduledFor: string };
    expect(Date.parse(scheduledFor) - Date.parse(requestedAt)).toBe(30 * 24 * 3600 * 1000);
    expect(res.body.disconnectedChannelIds).toHaveLength(3);

    const channels = await channelsOf(doomed.owner.tenantId);
    expect(channels.map((c) => [c.type, c.status, c.access_token_sealed])).toEqual([
      ['instagram', 'disconnected', null],
      ['webchat', 'disconnected', null],
      ['whatsapp', 'disconnected', null],
    ]);
    expect(await asOwner(t, `SELECT * FROM channel_routes WHERE tenant_id = $1`, [doomed.owner.tenantId])).toEqual([]);
    // A message to its number is acknowledged (Meta must not retry) and not stored.
    await postWebhook(
      t,
      whatsappDelivery(doomed.whatsapp!.phoneNumberId, [{ from: '2348000000001', text: 'hello?' }]),
    ).expect(200);
    expect(await inbox()).toEqual([before]);

    // Reading the business and taking one's records out still work; everything else is
    // refused, for every member.
    expect((await api(doomed.staff, 'get').expect(200)).body.status).toBe('pending_deletion');
    await api(doomed.owner, 'get', '/audit-log').expect(200);
    await api(doomed.owner, 'get', '/privacy-requests').expect(200);
    for (const [account, path] of [
      [doomed.owner, '/products'],
      [doomed.admin, '/channels'],
      [doomed.staff, '/conversations'],
    ] as const) {
      const refused = await api(account, 'get', path).expect(409);
      expect(refused.body.error.code).toBe('tenant_pending_deletion');
    }
    expect(
      (await api(doomed.owner, 'delete').send({ password: doomed.owner.password }).expect(409)).body.error.code,
    ).toBe('tenant_pending_deletion');
    await api(doomed.admin, 'post', '/restore').expect(403);
  });

  it('restores the business during the grace period; its channels stay disconnected', async () => {
    const res = await api(doomed.owner, 'post', '/restore').expect(200);
    expect(res.body).toMatchObject({
      tenant: { status: 'active', deletion: null },
      channelsNeedReconnecting: true,
      message: expect.stringMatching(/reconnect/),
    });
    await api(doomed.staff, 'get', '/products').expect(200);
    const channels = (await api(doomed.owner, 'get', '/channels').expect(200)).body.items as {
      status: string;
      statusReason: string;
    }[];
    expect(channels.map((c) => c.status)).toEqual(['disconnected', 'disconnected', 'disconnected']);
    expect(channels[0].statusReason).toMatch(/deleted; reconnect/);

    const actions = (await api(doomed.owner, 'get', '/audit-log').query({ limit: 100 }).expect(200)).body.items.map(
      (entry: { action: string }) => entry.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['tenant.deletion_scheduled', 'tenant.restored', 'channel.disconnected']),
    );
    await api(doomed.owner, 'post', '/restore').expect(409);
  });

  it('cannot be hastened by the application itself: only a scheduled, due deletion is purged', async () => {
    const victim = await signUp(t);
    // What one bad statement as the application's database role might try.
    await expect(
      t.dataSource.query(
        `UPDATE tenants SET status = 'pending_deletion', deletion_requested_at = now() - interval '31 days',
                deletion_due_at = now() - interval '1 day' WHERE id = $1`,
        [victim.tenantId],
      ),
    ).rejects.toThrow(/at least a day ahead/);
    const [{ purged }] = await t.dataSource.query(`SELECT purge_tenant($1) AS purged`, [victim.tenantId]);
    expect(purged).toBe(false);

    await api(victim, 'delete').send({ password: victim.password }).expect(202);
    await expect(
      t.dataSource.query(`UPDATE tenants SET deletion_due_at = now() - interval '1 day' WHERE id = $1`, [
        victim.tenantId,
      ]),
    ).rejects.toThrow(/cannot be moved/);
    await api(victim, 'get').expect(200);
  });

  it('removes every row and file of the business after the grace period, and nothing of another', async () => {
    // A person in both businesses: the other membership and the account must survive.
    const invite = await api(kept.owner, 'post', '/invitations')
      .send({ email: doomed.staff.email, role: 'staff' })
      .expect(201);
    await t.http().post('/v1/invitations/accept').set(doomed.staff.auth).send({ token: invite.body.token }).expect(200);

    const keptBefore = await rowsOf(kept.owner.tenantId);
    const doomedBefore = await rowsOf(doomed.owner.tenantId);
    // The business had rows in most tables, so an empty table afterwards means something.
    expect(nonEmpty(doomedBefore).length).toBeGreaterThanOrEqual(25);
    await api(doomed.owner, 'delete').send({ password: doomed.owner.password }).expect(202);
    // The grace period passes.
    await asOwner(
      t,
      `UPDATE tenants SET deletion_requested_at = now() - interval '31 days', deletion_due_at = now() - interval '1 day'
        WHERE id = $1`,
      [doomed.owner.tenantId],
    );
    expect((await api(doomed.owner, 'post', '/restore').expect(409)).body.error.code).toBe('not_pending_deletion');

    const tenantRows = () => asOwner<unknown[]>(t, `SELECT 1 FROM tenants WHERE id = $1`, [doomed.owner.tenantId]);
    await until(tenantRows, (rows) => rows.length === 0, 'the purge');
    const after = await rowsOf(doomed.owner.tenantId);
    expect(nonEmpty(after)).toEqual([]);
    expect(Object.keys(after)).toEqual(Object.keys(doomedBefore));
    expect(existsSync(join(exportDir, doomed.owner.tenantId))).toBe(false);

    // The other business is untouched.
    expect(await rowsOf(kept.owner.tenantId)).toEqual(keptBefore);
    expect(existsSync(join(exportDir, kept.owner.tenantId, 'an-export.zip'))).toBe(true);

    // People keep their accounts; only their memberships of the deleted business went.
    const login = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: doomed.staff.email, password: doomed.staff.password })
      .expect(200);
    const me = await t
      .http()
      .get('/v1/me')
      .set({ Authorization: `Bearer ${login.body.accessToken}` })
      .expect(200);
    expect(JSON.stringify(me.body)).toContain(kept.owner.tenantId);
    expect(JSON.stringify(me.body)).not.toContain(doomed.owner.tenantId);
    const owners = await asOwner<{ n: number }[]>(t, `SELECT count(*)::int AS n FROM users WHERE id = $1`, [
      doomed.owner.userId,
    ]);
    expect(owners).toEqual([{ n: 1 }]);
    await api(doomed.owner, 'get').expect(404);
  });
});
