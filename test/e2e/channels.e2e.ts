import { randomBytes, randomInt } from 'node:crypto';
import { SecretBox } from '../../src/common/crypto/secret-box.js';
import { TenantDb } from '../../src/database/tenant-db.js';
import { ChannelRouter } from '../../src/modules/channels/connections/channel-router.service.js';
import { ChannelsService } from '../../src/modules/channels/connections/channels.service.js';
import { InstagramClient } from '../../src/modules/channels/providers/instagram.client.js';
import { WhatsAppClient } from '../../src/modules/channels/providers/whatsapp.client.js';
import { graphFailures, startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { addMember, signUp, type Account } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let graph: FakeGraphApi;

beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url });
});
afterAll(async () => {
  await t.close();
  await graph.close();
});
// Forgets recorded traffic and injected failures; registered accounts stay.
beforeEach(() => graph.reset());

/** A fresh numeric Meta id, so that tests never share an account. */
const metaId = () => `10${randomInt(2 ** 47)}`;
const newToken = (label: string) => `EAAG${label}${randomBytes(24).toString('hex')}`;
const channelsUrl = (account: Account) => `/v1/tenants/${account.tenantId}/channels`;

interface Connected {
  id: string;
  externalId: string;
  accessToken: string;
  body: Record<string, unknown>;
  text: string;
}

/** Connects a WhatsApp number that the fake Graph API knows, with its right token. */
async function connectWhatsApp(
  owner: Account,
  externalId = metaId(),
  accessToken = newToken('wa'),
): Promise<Connected> {
  graph.registerAccount(externalId, accessToken, {
    verifiedName: 'Ada Kitchen',
    displayPhoneNumber: '+234 801 000 0000',
  });
  const res = await t
    .http()
    .post(channelsUrl(owner))
    .set(owner.auth)
    .send({ type: 'whatsapp', phoneNumberId: externalId, businessAccountId: metaId(), accessToken })
    .expect(201);
  return { id: res.body.id, externalId, accessToken, body: res.body, text: res.text };
}

async function connectWebchat(owner: Account, allowedOrigins = ['https://shop.example']): Promise<string> {
  const res = await t
    .http()
    .post(channelsUrl(owner))
    .set(owner.auth)
    .send({ type: 'webchat', name: 'Website', allowedOrigins })
    .expect(201);
  return res.body.id;
}

/** The stored row, read through row-level security as the tenant itself. */
async function storedRow(tenantId: string, channelId: string): Promise<{ json: string; sealed: string | null }> {
  const [row] = await t.app
    .get(TenantDb)
    .run({ tenantId }, (tx) =>
      tx.query(`SELECT row_to_json(c)::text AS json, access_token_sealed AS sealed FROM channels c WHERE id = $1`, [
        channelId,
      ]),
    );
  return row;
}

async function auditActions(owner: Account, action: string): Promise<unknown[]> {
  const res = await t
    .http()
    .get(`/v1/tenants/${owner.tenantId}/audit-log?action=${action}`)
    .set(owner.auth)
    .expect(200);
  return res.body.items;
}

function deliveryTarget(tenantId: string, channelId: string) {
  const scope = { tenantId };
  return t.app.get(TenantDb).run(scope, (tx) => t.app.get(ChannelsService).getDeliveryTarget(tx, scope, channelId));
}

describe('connecting channels', () => {
  it('connects a WhatsApp number, showing the token only masked and storing it only sealed', async () => {
    const owner = await signUp(t);
    const wa = await connectWhatsApp(owner);

    expect(wa.body).toMatchObject({
      type: 'whatsapp',
      name: 'Ada Kitchen',
      status: 'active',
      phoneNumberId: wa.externalId,
      displayPhoneNumber: '+234 801 000 0000',
      accessTokenLast4: `••••${wa.accessToken.slice(-4)}`,
    });
    expect(wa.text).not.toContain(wa.accessToken);
    const list = await t.http().get(channelsUrl(owner)).set(owner.auth).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.text).not.toContain(wa.accessToken);
    const one = await t
      .http()
      .get(`${channelsUrl(owner)}/${wa.id}`)
      .set(owner.auth)
      .expect(200);
    expect(one.body).toEqual(wa.body);

    const row = await storedRow(owner.tenantId, wa.id);
    expect(row.json).not.toContain(wa.accessToken);
    expect(row.sealed).toMatch(/^v1\.t1\./);
    // Sealed for this tenant: the same ciphertext does not open for another one.
    const other = await signUp(t);
    expect(() => t.app.get(SecretBox).open(row.sealed!, other.tenantId)).toThrow();
    const [audit] = await t.app
      .get(TenantDb)
      .run({ tenantId: owner.tenantId }, (tx) => tx.query(`SELECT json_agg(a)::text AS json FROM audit_log a`));
    expect(audit.json).toContain('channel.connected');
    expect(audit.json).not.toContain(wa.accessToken);

    // The outbound processor gets the token back, decrypted locally.
    expect(await deliveryTarget(owner.tenantId, wa.id)).toMatchObject({
      id: wa.id,
      type: 'whatsapp',
      externalId: wa.externalId,
      status: 'active',
      accessToken: wa.accessToken,
      settings: expect.objectContaining({ displayPhoneNumber: '+234 801 000 0000' }),
    });
  });

  it('connects an Instagram account, naming it after the username Meta reports', async () => {
    const owner = await signUp(t);
    const accountId = metaId();
    const accessToken = newToken('ig');
    graph.registerAccount(accountId, accessToken, { username: 'adas_kitchen' });

    const res = await t
      .http()
      .post(channelsUrl(owner))
      .set(owner.auth)
      .send({ type: 'instagram', instagramAccountId: accountId, accessToken })
      .expect(201);

    expect(res.body).toMatchObject({
      type: 'instagram',
      name: '@adas_kitchen',
      instagramAccountId: accountId,
      username: 'adas_kitchen',
      pageId: null,
      accessTokenLast4: `••••${accessToken.slice(-4)}`,
    });
    expect(res.text).not.toContain(accessToken);
    expect(await t.app.get(ChannelRouter).resolve('instagram', accountId)).toEqual({
      tenantId: owner.tenantId,
      channelId: res.body.id,
    });
  });

  it('connects a web chat with normalised origins, findable by its id alone', async () => {
    const owner = await signUp(t);
    const res = await t
      .http()
      .post(channelsUrl(owner))
      .set(owner.auth)
      .send({ type: 'webchat', name: 'Website', allowedOrigins: ['HTTPS://Shop.Example/', 'http://localhost:3000'] })
      .expect(201);

    expect(res.body).toMatchObject({
      type: 'webchat',
      name: 'Website',
      status: 'active',
      allowedOrigins: ['https://shop.example', 'http://localhost:3000'],
      accessTokenLast4: null,
    });
    expect(await t.app.get(ChannelsService).findWebchat(res.body.id)).toEqual({
      tenantId: owner.tenantId,
      channelId: res.body.id,
      allowedOrigins: ['https://shop.example', 'http://localhost:3000'],
      status: 'active',
    });
  });

  it('refuses invalid bodies by field name, including a field of another channel type', async () => {
    const owner = await signUp(t);
    const wa = { type: 'whatsapp', phoneNumberId: metaId(), businessAccountId: metaId(), accessToken: newToken('x') };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...wa, allowedOrigins: ['https://shop.example'] }, 'allowedOrigins'],
      [
        { type: 'webchat', name: 'Site', allowedOrigins: ['https://shop.example'], accessToken: newToken('x') },
        'accessToken',
      ],
      [
        { type: 'instagram', instagramAccountId: metaId(), accessToken: newToken('x'), phoneNumberId: '1' },
        'phoneNumberId',
      ],
      [{ phoneNumberId: metaId() }, 'type'],
      [{ ...wa, type: 'telegram' }, 'type'],
      [{ ...wa, businessAccountId: undefined }, 'businessAccountId'],
      [{ ...wa, phoneNumberId: '+2348012345678' }, 'phoneNumberId'],
      [{ ...wa, accessToken: 'short' }, 'accessToken'],
      [{ ...wa, accessToken: `${newToken('x')} with spaces` }, 'accessToken'],
      [{ type: 'instagram', accessToken: newToken('x') }, 'instagramAccountId'],
      [{ type: 'webchat', allowedOrigins: ['https://shop.example'] }, 'name'],
      [{ type: 'webchat', name: 'Site', allowedOrigins: ['https://shop.example/shop'] }, 'allowedOrigins'],
      [{ type: 'webchat', name: 'Site', allowedOrigins: ['ftp://shop.example'] }, 'allowedOrigins'],
      [{ type: 'webchat', name: 'Site', allowedOrigins: [] }, 'allowedOrigins'],
      [
        { type: 'webchat', name: 'Site', allowedOrigins: ['https://a.example', 'https://A.example/'] },
        'allowedOrigins',
      ],
      [
        {
          type: 'webchat',
          name: 'Site',
          allowedOrigins: Array.from({ length: 21 }, (_, i) => `https://s${i}.example`),
        },
        'allowedOrigins',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await t.http().post(channelsUrl(owner)).set(owner.auth).send(body);
      expect({ field, status: res.status, code: res.body.error?.code }).toEqual({
        field,
        status: 400,
        code: 'validation_failed',
      });
      expect(res.body.error.details.fields).toHaveProperty([field]);
    }
    const list = await t.http().get(channelsUrl(owner)).set(owner.auth).expect(200);
    expect(list.body.items).toEqual([]);
    expect(graph.requestCount).toBe(0);
  });

  it('refuses a token Meta rejects, and answers 503 when Meta cannot be reached', async () => {
    const owner = await signUp(t);
    const phoneNumberId = metaId();
    graph.registerAccount(phoneNumberId, newToken('right'));
    const wrong = newToken('wrong');
    const body = { type: 'whatsapp', phoneNumberId, businessAccountId: metaId(), accessToken: wrong };

    const rejected = await t.http().post(channelsUrl(owner)).set(owner.auth).send(body).expect(400);
    expect(rejected.body.error).toMatchObject({ code: 'token_rejected', details: { failure: { code: 'meta:190' } } });
    expect(rejected.text).not.toContain(wrong);

    graph.failNext(1, graphFailures.serverError);
    const unavailable = await t
      .http()
      .post(channelsUrl(owner))
      .set(owner.auth)
      .send({ ...body, phoneNumberId: metaId() })
      .expect(503);
    expect(unavailable.body.error.code).toBe('provider_unavailable');

    const list = await t.http().get(channelsUrl(owner)).set(owner.auth).expect(200);
    expect(list.body.items).toEqual([]);
  });
});

describe('one tenant per account', () => {
  it('refuses a number connected in another tenant until that tenant disconnects it', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const first = await connectWhatsApp(a);
    const again = { type: 'whatsapp', phoneNumberId: first.externalId, businessAccountId: metaId() };

    const taken = await t
      .http()
      .post(channelsUrl(b))
      .set(b.auth)
      .send({ ...again, accessToken: first.accessToken })
      .expect(409);
    expect(taken.body.error).toMatchObject({ code: 'channel_taken' });
    expect(taken.text).not.toContain(a.tenantId);
    // The same tenant cannot connect it twice either.
    await t
      .http()
      .post(channelsUrl(a))
      .set(a.auth)
      .send({ ...again, accessToken: first.accessToken })
      .expect(409);
    const bList = await t.http().get(channelsUrl(b)).set(b.auth).expect(200);
    expect(bList.body.items).toEqual([]);

    await t
      .http()
      .delete(`${channelsUrl(a)}/${first.id}`)
      .set(a.auth)
      .expect(204);
    const moved = await t
      .http()
      .post(channelsUrl(b))
      .set(b.auth)
      .send({ ...again, accessToken: first.accessToken })
      .expect(201);
    expect(await t.app.get(ChannelRouter).resolve('whatsapp', first.externalId)).toEqual({
      tenantId: b.tenantId,
      channelId: moved.body.id,
    });
  });
});

describe('changing and disconnecting', () => {
  it('changes the name and display number, and refuses the provider id and fields of other types', async () => {
    const owner = await signUp(t);
    const wa = await connectWhatsApp(owner);
    const url = `${channelsUrl(owner)}/${wa.id}`;

    const renamed = await t
      .http()
      .patch(url)
      .set(owner.auth)
      .send({ name: '  Orders line ', displayPhoneNumber: '+234 802 111 2222' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'Orders line', displayPhoneNumber: '+234 802 111 2222' });
    const cleared = await t.http().patch(url).set(owner.auth).send({ displayPhoneNumber: null }).expect(200);
    expect(cleared.body.displayPhoneNumber).toBeNull();

    const immutable = await t.http().patch(url).set(owner.auth).send({ phoneNumberId: metaId() }).expect(400);
    expect(immutable.body.error.details.fields.phoneNumberId[0]).toContain('cannot be changed');
    const misplaced = await t
      .http()
      .patch(url)
      .set(owner.auth)
      .send({ allowedOrigins: ['https://shop.example'] })
      .expect(400);
    expect(misplaced.body.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: { allowedOrigins: expect.any(Array) } },
    });
    await t.http().patch(url).set(owner.auth).send({ name: null }).expect(400);
    // Refused before Meta is asked about the new token.
    const calls = graph.requestCount;
    await t
      .http()
      .patch(url)
      .set(owner.auth)
      .send({ accessToken: newToken('x'), allowedOrigins: ['https://shop.example'] })
      .expect(400);
    expect(graph.requestCount).toBe(calls);
    expect(await auditActions(owner, 'channel.updated')).toHaveLength(2);
  });

  it('keeps the routing index in step with a web chat’s origins and its disconnection', async () => {
    const owner = await signUp(t);
    const id = await connectWebchat(owner);
    const url = `${channelsUrl(owner)}/${id}`;
    const channels = t.app.get(ChannelsService);

    await t
      .http()
      .patch(url)
      .set(owner.auth)
      .send({ allowedOrigins: ['https://new.example'] })
      .expect(200);
    expect((await channels.findWebchat(id))?.allowedOrigins).toEqual(['https://new.example']);
    await t
      .http()
      .patch(url)
      .set(owner.auth)
      .send({ accessToken: newToken('x') })
      .expect(400);
    await t.http().post(`${url}/check`).set(owner.auth).expect(400);

    await t.http().delete(url).set(owner.auth).expect(204);
    expect(await channels.findWebchat(id)).toBeUndefined();
  });

  it('disconnects for good: token erased, route gone, nothing more accepted, and twice is harmless', async () => {
    const owner = await signUp(t);
    const wa = await connectWhatsApp(owner);
    const url = `${channelsUrl(owner)}/${wa.id}`;

    await t.http().delete(url).set(owner.auth).expect(204);

    const res = await t.http().get(url).set(owner.auth).expect(200);
    expect(res.body).toMatchObject({ status: 'disconnected', accessTokenLast4: null });
    expect(res.body.disconnectedAt).toEqual(expect.any(String));
    expect((await storedRow(owner.tenantId, wa.id)).sealed).toBeNull();
    expect(await deliveryTarget(owner.tenantId, wa.id)).toMatchObject({
      status: 'disconnected',
      accessToken: undefined,
    });
    const routes = await t.dataSource.query(`SELECT 1 FROM channel_routes WHERE channel_id = $1`, [wa.id]);
    expect(routes).toEqual([]);

    const patched = await t.http().patch(url).set(owner.auth).send({ name: 'Back' }).expect(409);
    expect(patched.body.error.code).toBe('channel_disconnected');
    await t.http().post(`${url}/check`).set(owner.auth).expect(409);
    await t.http().delete(url).set(owner.auth).expect(204);
    expect(await auditActions(owner, 'channel.disconnected')).toHaveLength(1);
  });
});

describe('checking tokens', () => {
  it('reports a working token, flags a revoked one for reconnection, and a new token restores it', async () => {
    const owner = await signUp(t);
    const wa = await connectWhatsApp(owner);
    const url = `${channelsUrl(owner)}/${wa.id}`;

    const ok = await t.http().post(`${url}/check`).set(owner.auth).expect(200);
    expect(ok.body).toEqual({
      ok: true,
      details: { name: 'Ada Kitchen', displayPhoneNumber: '+234 801 000 0000' },
      status: 'active',
    });

    // The business revokes the token at Meta: the one we hold stops working.
    const replacement = newToken('new');
    graph.registerAccount(wa.externalId, replacement);
    const failed = await t.http().post(`${url}/check`).set(owner.auth).expect(200);
    expect(failed.body).toMatchObject({
      ok: false,
      failure: { code: 'meta:190', reason: expect.any(String) },
      status: 'needs_reconnect',
    });
    expect(failed.text).not.toContain(wa.accessToken);
    const flagged = await t.http().get(url).set(owner.auth).expect(200);
    expect(flagged.body).toMatchObject({
      status: 'needs_reconnect',
      statusReason: expect.stringContaining('meta:190'),
    });

    // A transient failure says nothing about the token: the status stays.
    graph.failNext(1, graphFailures.serverError);
    const outage = await t.http().post(`${url}/check`).set(owner.auth).expect(200);
    expect(outage.body).toMatchObject({ ok: false, status: 'needs_reconnect' });

    const reconnected = await t.http().patch(url).set(owner.auth).send({ accessToken: replacement }).expect(200);
    expect(reconnected.body).toMatchObject({
      status: 'active',
      statusReason: null,
      accessTokenLast4: `••••${replacement.slice(-4)}`,
    });
    expect(reconnected.text).not.toContain(replacement);
    expect((await deliveryTarget(owner.tenantId, wa.id))?.accessToken).toBe(replacement);
    const restored = await t.http().post(`${url}/check`).set(owner.auth).expect(200);
    expect(restored.body).toMatchObject({ ok: true, status: 'active' });
    expect(await auditActions(owner, 'channel.checked')).toHaveLength(4);
  });

  it('refuses a replacement token Meta rejects, leaving the channel as it was', async () => {
    const owner = await signUp(t);
    const wa = await connectWhatsApp(owner);
    const url = `${channelsUrl(owner)}/${wa.id}`;

    const res = await t
      .http()
      .patch(url)
      .set(owner.auth)
      .send({ accessToken: newToken('bad') })
      .expect(400);
    expect(res.body.error.code).toBe('token_rejected');
    expect((await deliveryTarget(owner.tenantId, wa.id))?.accessToken).toBe(wa.accessToken);
  });

  it('lets the outbound processor flag a channel once', async () => {
    const owner = await signUp(t);
    const wa = await connectWhatsApp(owner);
    const channels = t.app.get(ChannelsService);
    const scope = { tenantId: owner.tenantId };

    expect(await channels.markNeedsReconnect(scope, wa.id, 'meta:190: access token invalid or expired')).toBe(true);
    expect(await channels.markNeedsReconnect(scope, wa.id, 'meta:190: again')).toBe(false);
    const res = await t
      .http()
      .get(`${channelsUrl(owner)}/${wa.id}`)
      .set(owner.auth)
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'needs_reconnect',
      statusReason: 'meta:190: access token invalid or expired',
    });
    expect(await auditActions(owner, 'channel.needs_reconnect')).toHaveLength(1);
  });
});

describe('access', () => {
  it('lets staff read channels but not change them', async () => {
    const owner = await signUp(t);
    const staff = await addMember(t, owner, 'staff');
    const wa = await connectWhatsApp(owner);
    const url = `${channelsUrl(owner)}/${wa.id}`;

    const created = await t
      .http()
      .post(channelsUrl(owner))
      .set(staff.auth)
      .send({ type: 'webchat', name: 'Site', allowedOrigins: ['https://shop.example'] })
      .expect(403);
    expect(created.body.error.code).toBe('forbidden');
    await t.http().patch(url).set(staff.auth).send({ name: 'Mine' }).expect(403);
    await t.http().post(`${url}/check`).set(staff.auth).expect(403);
    await t.http().delete(url).set(staff.auth).expect(403);

    const list = await t.http().get(channelsUrl(owner)).set(staff.auth).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([wa.id]);
    await t.http().get(url).set(staff.auth).expect(200);
  });

  it('answers 404 to another tenant on every route for tenant A’s channel, and changes nothing', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const wa = await connectWhatsApp(a);
    const requests = (base: string) => ({
      get: () => t.http().get(`${base}/${wa.id}`),
      patch: () => t.http().patch(`${base}/${wa.id}`).send({ name: 'Stolen' }),
      check: () => t.http().post(`${base}/${wa.id}/check`),
      delete: () => t.http().delete(`${base}/${wa.id}`),
    });

    // In B's own tenant (row-level security and the tenant filter) and in A's (not a member).
    for (const base of [channelsUrl(b), channelsUrl(a)]) {
      for (const [route, send] of Object.entries(requests(base))) {
        const res = await send().set(b.auth);
        expect({ base, route, status: res.status, code: res.body.error?.code }).toEqual({
          base,
          route,
          status: 404,
          code: 'not_found',
        });
      }
    }
    const listA = await t.http().get(channelsUrl(a)).set(b.auth).expect(404);
    expect(listA.body.error.code).toBe('not_found');
    const listB = await t.http().get(channelsUrl(b)).set(b.auth).expect(200);
    expect(listB.body.items).toEqual([]);

    const unchanged = await t
      .http()
      .get(`${channelsUrl(a)}/${wa.id}`)
      .set(a.auth)
      .expect(200);
    expect(unchanged.body).toMatchObject({ name: 'Ada Kitchen', status: 'active' });
    expect(await deliveryTarget(b.tenantId, wa.id)).toBeUndefined();
    // A malformed id is as unknown as another tenant's.
    await t
      .http()
      .get(`${channelsUrl(a)}/not-a-uuid`)
      .set(a.auth)
      .expect(404);
  });
});

describe('routing index', () => {
  it('finds the tenant of a connected account, even just after answering "unknown", and forgets it on disconnect', async () => {
    const owner = await signUp(t);
    const router = t.app.get(ChannelRouter);
    const phoneNumberId = metaId();

    // Cached as unknown for a few seconds; connecting must not wait for that to expire.
    expect(await router.resolve('whatsapp', phoneNumberId)).toBeUndefined();
    const wa = await connectWhatsApp(owner, phoneNumberId);
    expect(await router.resolve('whatsapp', phoneNumberId)).toEqual({ tenantId: owner.tenantId, channelId: wa.id });
    expect(await router.resolve('instagram', phoneNumberId)).toBeUndefined();

    await t
      .http()
      .delete(`${channelsUrl(owner)}/${wa.id}`)
      .set(owner.auth)
      .expect(204);
    expect(await router.resolve('whatsapp', phoneNumberId)).toBeUndefined();
  });

  it('exports the Meta clients for the outbound processor', () => {
    expect(t.app.get(WhatsAppClient)).toBeInstanceOf(WhatsAppClient);
    expect(t.app.get(InstagramClient)).toBeInstanceOf(InstagramClient);
  });
});
