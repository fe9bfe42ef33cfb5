import { createHmac } from 'node:crypto';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { asOwner } from '../support/as-owner.js';
import type { Account } from '../support/fixtures.js';
import { openShop, type Shop } from '../support/shop.js';
import { startTestApp, TEST_ENV, type TestApp } from '../support/test-app.js';
import { instagramDelivery, postWebhook } from '../support/meta-webhooks.js';

let t: TestApp;
let graph: FakeGraphApi;
let shop: Shop;
let other: Shop;
// One person who wrote to both businesses on Instagram, and someone else who wrote to one.
// Instagram-scoped ids are the ids Meta's callbacks name; a WhatsApp number never is one.
let ada: string;
let bola: string;

const instagramId = () => `17${String(Math.floor(Math.random() * 1e14)).padStart(14, '0')}`;

async function writeOnInstagram(to: Shop, from: string): Promise<void> {
  await postWebhook(t, instagramDelivery(to.instagram!.accountId, [{ from, text: 'hi' }])).expect(200);
  await graph.waitFor((m) => m.to === from && m.accountId === to.instagram!.accountId, 10_000);
}

const PUBLIC_BASE_URL = 'https://hawker.example';

beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, PUBLIC_BASE_URL });
  shop = await openShop(t, graph, { whatsapp: true, instagram: true });
  other = await openShop(t, graph, { whatsapp: true, instagram: true });
  [ada, bola] = [instagramId(), instagramId()];
  await writeOnInstagram(shop, ada);
  await writeOnInstagram(other, ada);
  await writeOnInstagram(shop, bola);
}, 60_000);

afterAll(async () => {
  await t.close();
  await graph.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A signed_request as Meta builds it: HMAC-SHA256 of the base64url payload, keyed with the app secret. */
function signedRequest(userId: string, secret = TEST_ENV.META_APP_SECRET): string {
  const claims = { algorithm: 'HMAC-SHA256', issued_at: Math.floor(Date.now() / 1000), user_id: userId };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(payload).digest('base64url');
  return `${signature}.${payload}`;
}

/** Meta posts the callbacks form-encoded. */
const callback = (path: 'deauthorize' | 'data-deletion', body: Record<string, string>) =>
  t.http().post(`/v1/meta/${path}`).type('form').send(body);

const channelStatuses = async (account: Account) =>
  Object.fromEntries(
    (
      (await t.http().get(`/v1/tenants/${account.tenantId}/channels`).set(account.auth).expect(200)).body.items as {
        type: string;
        status: string;
      }[]
    ).map((channel) => [channel.type, channel.status]),
  );

const count = async (sql: string, params: unknown[] = []) =>
  (await asOwner<{ n: number }[]>(t, `SELECT count(*)::int AS n FROM (${sql}) rows`, params))[0].n;

const auditActions = async (account: Account, action: string) =>
  (await t.http().get(`/v1/tenants/${account.tenantId}/audit-log`).query({ action }).set(account.auth).expect(200)).body
    .items as { action: string; actorType: string; details: Record<string, unknown> }[];

describe('refusing a bad signed_request', () => {
  it.each([
    ['missing', (): Record<string, string> => ({}), 'missing'],
    [
      'signed with another secret',
      () => ({ signed_request: signedRequest(shop.whatsapp!.phoneNumberId, 'not-the-app-secret') }),
      'bad_signature',
    ],
    ['malformed', () => ({ signed_request: 'not-a-signed-request' }), 'malformed'],
  ])('answers 400 when the signed_request is %s, and changes nothing', async (_label, body, reason) => {
    const sent = body();
    for (const path of ['deauthorize', 'data-deletion'] as const) {
      const res = await callback(path, sent).expect(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_signed_request', details: { reason } });
    }
    expect(await channelStatuses(shop.owner)).toEqual({ whatsapp: 'active', instagram: 'active' });
    expect(await count('SELECT 1 FROM meta_deletion_requests')).toBe(0);
    expect(await count(`SELECT 1 FROM privacy_requests WHERE source = 'meta_data_deletion'`)).toBe(0);
  });

  it('refuses a payload altered after signing', async () => {
    const [signature] = signedRequest(shop.whatsapp!.phoneNumberId).split('.');
    const altered = Buffer.from(
      JSON.stringify({ algorithm: 'HMAC-SHA256', user_id: other.whatsapp!.phoneNumberId }),
    ).toString('base64url');
    const res = await callback('deauthorize', { signed_request: `${signature}.${altered}` }).expect(400);
    expect(res.body.error.code).toBe('invalid_signed_request');
    expect(await channelStatuses(other.owner)).toEqual({ whatsapp: 'active', instagram: 'active' });
  });
});

describe('the deauthorize callback', () => {
  it('disconnects the channel whose account removed the app, and only that one', async () => {
    const res = await callback('deauthorize', { signed_request: signedRequest(shop.whatsapp!.phoneNumberId) }).expect(
      200,
    );
    expect(res.body).toEqual({ received: true });
    expect(await channelStatuses(shop.owner)).toEqual({ whatsapp: 'disconnected', instagram: 'active' });
    expect(await channelStatuses(other.owner)).toEqual({ whatsapp: 'active', instagram: 'active' });
    expect(await auditActions(shop.owner, 'privacy.meta_deauthorized')).toEqual([
      expect.objectContaining({ actorType: 'system', details: { provider: 'whatsapp', channelsDisconnected: 1 } }),
    ]);
    const [disconnected] = await auditActions(shop.owner, 'channel.disconnected');
    expect(disconnected.details).toEqual({ type: 'whatsapp', reason: 'meta_deauthorized' });
  });

  it('disconnects an Instagram account the same way, and takes a repeat calmly', async () => {
    const value = signedRequest(other.instagram!.accountId);
    await callback('deauthorize', { signed_request: value }).expect(200);
    await callback('deauthorize', { signed_request: value }).expect(200);
    expect(await channelStatuses(other.owner)).toEqual({ whatsapp: 'active', instagram: 'disconnected' });
    expect(await auditActions(other.owner, 'privacy.meta_deauthorized')).toHaveLength(1);
  });

  it('acknowledges an account it does not know', async () => {
    await callback('deauthorize', { signed_request: signedRequest('999000111') }).expect(200);
  });
});

describe('the data-deletion callback', () => {
  let code: string;
  it('schedules the erasure of every contact with that identity, in every business, and answers a status URL', async () => {
    const res = await callback('data-deletion', { signed_request: signedRequest(ada) }).expect(200);
    expect(res.body).toEqual({
      url: `${PUBLIC_BASE_URL}/v1/meta/data-deletion/${res.body.confirmation_code}`,
      confirmation_code: expect.stringMatching(/^[A-Za-z0-9]{16,64}$/),
    });

    const scheduled = await asOwner<{ tenant_id: string; external_ref: string; source: string }[]>(
      t,
      `SELECT r.tenant_id, c.external_ref, r.source FROM privacy_requests r
         JOIN contacts c ON c.tenant_id = r.tenant_id AND c.id = r.contact_id
        WHERE r.type = 'erasure' ORDER BY r.tenant_id`,
    );
    expect(scheduled.map((r) => [r.tenant_id, r.source]).sort()).toEqual(
      [
        [shop.owner.tenantId, 'meta_data_deletion'],
        [other.owner.tenantId, 'meta_data_deletion'],
      ].sort(),
    );
    expect(scheduled.some((r) => r.external_ref === bola)).toBe(false);
    for (const account of [shop.owner, other.owner]) {
      expect(await auditActions(account, 'privacy.meta_data_deletion_requested')).toEqual([
        expect.objectContaining({
          actorType: 'system',
          details: expect.objectContaining({ confirmationCode: res.body.confirmation_code, contacts: 1 }),
        }),
      ]);
    }

    // What is kept of the request names no one: the id only as a keyed hash.
    const stored = await asOwner<Record<string, unknown>[]>(t, `SELECT * FROM meta_deletion_requests`);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(ada);
    expect(stored[0]).toMatchObject({ contacts_found: 2, user_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Which businesses erased whom is theirs: the application sees none of it outside a
    // business's transaction or the status page's own request.
    expect(await t.dataSource.query(`SELECT * FROM meta_deletion_erasures`)).toEqual([]);
    expect(await count(`SELECT 1 FROM meta_deletion_erasures`)).toBe(2);

    // The status page a person opens from Meta.
    const page = await t
      .http()
      .get(new URL(res.body.url as string).pathname)
      .expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain(res.body.confirmation_code);
    expect(page.text).toMatch(/2 customer record\(s\)/);
    expect(page.text).toMatch(/2 business\(es\)/);
    expect(page.text).toMatch(/Status: <strong>(In progress|Completed)<\/strong>/);
    code = res.body.confirmation_code as string;
  });

  it('shows the request completed once the erasures have run', async () => {
    const status = async () => (await t.http().get(`/v1/meta/data-deletion/${code}`).expect(200)).text;
    for (let attempt = 0; attempt < 150 && !/Completed/.test(await status()); attempt++) await sleep(100);
    const page = await status();
    expect(page).toMatch(/Status: <strong>Completed<\/strong>/);
    expect(page).toMatch(/Erasures completed: 2 of 2/);
  });

  it('answers a person unknown everywhere with a code whose page says there was nothing to delete', async () => {
    const res = await callback('data-deletion', { signed_request: signedRequest('1234509876') }).expect(200);
    const page = await t.http().get(`/v1/meta/data-deletion/${res.body.confirmation_code}`).expect(200);
    expect(page.text).toMatch(/Status: <strong>Completed<\/strong>/);
    expect(page.text).toMatch(/nothing to delete/);
  });

  it('answers 404 in HTML for a code it never gave, without echoing it', async () => {
    for (const code of ['0123456789abcdef0123456789abcdef', '<script>alert(1)</script>']) {
      const page = await t
        .http()
        .get(`/v1/meta/data-deletion/${encodeURIComponent(code)}`)
        .expect(404);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.text).toMatch(/Request not found/);
      expect(page.text).not.toContain('<script>');
    }
  });
});
