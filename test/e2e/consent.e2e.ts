import { randomUUID } from 'node:crypto';
import { TenantDb } from '../../src/database/tenant-db.js';
import { OutboxService } from '../../src/modules/channels/outbox/outbox.service.js';
import type { OutboundPayload } from '../../src/modules/channels/outbox/outbound-payload.js';
import { MessagesService } from '../../src/modules/conversations/messages.service.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { addMember, type Account } from '../support/fixtures.js';
import { instagramDelivery, postWebhook } from '../support/meta-webhooks.js';
import { openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { whatsappCustomer, type WhatsAppCustomer } from '../support/whatsapp-customer.js';

let t: TestApp;
let graph: FakeGraphApi;
let shop: Shop;
let other: Shop;
let staff: Account;

beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, DELIVERY_RETRY_BASE_MS: '50' });
  shop = await openShop(t, graph, { whatsapp: true, instagram: true });
  other = await openShop(t, graph);
  staff = await addMember(t, shop.owner, 'staff');
}, 60_000);

afterAll(async () => {
  await t.close();
  await graph.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inTenant = <T>(tenantId: string, sql: string, params: unknown[] = []) =>
  t.app.get(TenantDb).run({ tenantId }, (tx) => tx.query<T>(sql, params));

const OFFER = { name: 'weekend_offer', languageCode: 'en_US', bodyParams: ['20% off jollof'] };

const consents = (account: Account, contactId: string) =>
  t.http().get(`/v1/tenants/${account.tenantId}/contacts/${contactId}/consents`).set(account.auth);
const putConsent = (account: Account, contactId: string, body: object) =>
  t.http().put(`/v1/tenants/${account.tenantId}/contacts/${contactId}/consents`).set(account.auth).send(body);
const sendTemplate = (account: Account, contactId: string, body: object = OFFER) =>
  t.http().post(`/v1/tenants/${account.tenantId}/contacts/${contactId}/templates`).set(account.auth).send(body);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Queues an automated message (source `system`) to the shop's WhatsApp conversation the way
 * notifications do, and resolves with its transcript row once the outbox has settled it.
 */
async function queueSystemMessage(conversationId: string, payload: OutboundPayload) {
  const scope = { tenantId: shop.owner.tenantId };
  const channelId = shop.whatsapp!.channelId;
  const { outboxId } = await t.app
    .get(TenantDb)
    .run(scope, (tx) =>
      t.app
        .get(MessagesService)
        .recordReply(tx, scope, { id: conversationId, channelId }, { source: 'system', payload }),
    );
  await t.app.get(OutboxService).notify(scope, { conversationId, channelId }, outboxId);
  const [message] = await until(
    () =>
      inTenant<{ delivery_status: string; error_code: string | null }[]>(
        shop.owner.tenantId,
        `SELECT m.delivery_status, m.error_code FROM outbox_messages o
           JOIN messages m ON m.tenant_id = o.tenant_id AND m.id = o.message_id WHERE o.id = $1`,
        [outboxId],
      ),
    ([row]) => row?.delivery_status !== 'pending',
    'the queued message to be settled',
  );
  return message;
}

async function contactOf(tenantId: string, externalRef: string): Promise<{ id: string; conversationId: string }> {
  const [row] = await until(
    () =>
      inTenant<{ id: string; conversation_id: string }[]>(
        tenantId,
        `SELECT ct.id, c.id AS conversation_id FROM contacts ct
           JOIN conversations c ON c.tenant_id = ct.tenant_id AND c.contact_id = ct.id WHERE ct.external_ref = $1`,
        [externalRef],
      ),
    (rows) => rows.length > 0,
    `the contact ${externalRef}`,
  );
  return { id: row.id, conversationId: row.conversation_id };
}

const templatesSentTo = (number: string) => graph.sentTo(number).filter((m) => m.body.type === 'template');

describe('marketing consent in chat', () => {
  let ada: WhatsAppCustomer;
  let contactId: string;
  let conversationId: string;

  beforeAll(async () => {
    ada = whatsappCustomer(t, graph, shop);
    await ada.say('hi');
    ({ id: contactId, conversationId } = await contactOf(shop.owner.tenantId, ada.number));
  });

  it('counts consent never asked for as given, for both purposes', async () => {
    const res = await consents(staff, contactId).expect(200);
    expect(res.body).toEqual({
      contactId,
      consents: [
        { purpose: 'service', status: 'not_recorded', granted: true, source: null, changedBy: null, changedAt: null },
        { purpose: 'marketing', status: 'not_recorded', granted: true, source: null, changedBy: null, changedAt: null },
      ],
      history: [],
    });
  });

  it('withdraws marketing consent when the customer says stop, and confirms it', async () => {
    const confirmation = await ada.say('STOP');
    expect(confirmation.text).toMatch(/won't send you offers or promotions any more/);
    expect(confirmation.text).toMatch(/Reply \*start\*/);

    const res = await consents(staff, contactId).expect(200);
    expect(res.body.consents).toEqual([
      expect.objectContaining({ purpose: 'service', status: 'not_recorded', granted: true }),
      {
        purpose: 'marketing',
        status: 'withdrawn',
        granted: false,
        source: 'chat',
        changedBy: null,
        changedAt: expect.any(String),
      },
    ]);
    expect(res.body.history).toEqual([
      {
        id: expect.any(String),
        purpose: 'marketing',
        status: 'withdrawn',
        source: 'chat',
        changedBy: null,
        at: expect.any(String),
      },
    ]);
    const audit = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/audit-log`)
      .query({ action: 'consent.changed' })
      .set(shop.owner.auth)
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actorType: 'customer',
        targetType: 'contact',
        targetId: contactId,
        details: { purpose: 'marketing', status: 'withdrawn', source: 'chat' },
      }),
    ]);
  });

  it('says so again on a second stop without another history entry', async () => {
    expect((await ada.say('unsubscribe')).text).toMatch(/already unsubscribed/);
    expect((await consents(staff, contactId).expect(200)).body.history).toHaveLength(1);
  });

  it('refuses a staff template with 409 consent_withdrawn and queues nothing', async () => {
    const count = () =>
      inTenant<{ n: number }[]>(
        shop.owner.tenantId,
        `SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`,
        [conversationId],
      );
    const [before] = await count();
    const res = await sendTemplate(staff, contactId).expect(409);
    expect(res.body.error.code).toBe('consent_withdrawn');
    const [after] = await count();
    expect(after.n).toBe(before.n);
  });

  it('does not deliver a template already queued for them (a notification, say)', async () => {
    const message = await queueSystemMessage(conversationId, { kind: 'template', ...OFFER });
    expect(message).toEqual({ delivery_status: 'failed', error_code: 'consent_withdrawn' });
    expect(templatesSentTo(ada.number)).toEqual([]);
  });

  it('still answers their next message', async () => {
    const reply = await ada.say('menu');
    expect(reply.text).toMatch(/Here is our menu/);
  });

  it('gives consent back on start, and the template then goes out', async () => {
    expect((await ada.say('start')).text).toMatch(/may send you offers and news again/);
    const res = await sendTemplate(staff, contactId).expect(202);
    expect(res.body).toMatchObject({ direction: 'out', source: 'staff', deliveryStatus: 'pending' });
    const [template] = await graph.waitFor((m) => m.to.replace('+', '') === ada.number && m.body.type === 'template');
    expect(template.body.template).toEqual({
      name: 'weekend_offer',
      language: { code: 'en_US' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: '20% off jollof' }] }],
    });
  });
});

describe('withdrawn consent to service messages', () => {
  it('stops automated notices to the contact, while replies to their own messages still go out', async () => {
    const cade = whatsappCustomer(t, graph, shop);
    await cade.say('hi');
    const { id, conversationId } = await contactOf(shop.owner.tenantId, cade.number);
    await putConsent(staff, id, { purpose: 'service', granted: false }).expect(200);

    const notice = { kind: 'text' as const, text: 'Your order #1001 is on its way to you.' };
    const message = await queueSystemMessage(conversationId, notice);
    expect(message).toEqual({ delivery_status: 'failed', error_code: 'consent_withdrawn' });
    expect(graph.sentTo(cade.number).some((m) => m.text === notice.text)).toBe(false);
    expect((await cade.say('menu')).text).toMatch(/Here is our menu/);
  });
});

describe('stop while a person is handling the conversation', () => {
  it('is still honoured and confirmed, though the bot is otherwise silent', async () => {
    const bola = whatsappCustomer(t, graph, shop);
    await bola.say('human');
    const { id } = await contactOf(shop.owner.tenantId, bola.number);
    expect((await bola.say('stop')).text).toMatch(/won't send you offers or promotions any more/);
    const res = await consents(staff, id).expect(200);
    expect(res.body.consents[1]).toMatchObject({ purpose: 'marketing', status: 'withdrawn', source: 'chat' });

    // Staff cannot overrule the customer: only their own START gives it back.
    const overrule = await putConsent(shop.owner, id, { purpose: 'marketing', granted: true }).expect(409);
    expect(overrule.body.error.code).toBe('withdrawn_by_customer');
    expect((await consents(staff, id).expect(200)).body.consents[1]).toMatchObject({ status: 'withdrawn' });
  });
});

describe('the consents API', () => {
  let contactId: string;

  beforeAll(async () => {
    const bola = whatsappCustomer(t, graph, shop);
    await bola.say('hi');
    contactId = (await contactOf(shop.owner.tenantId, bola.number)).id;
  });

  it('lets any member record a change, naming them, and audits it', async () => {
    const res = await putConsent(staff, contactId, { purpose: 'marketing', granted: false }).expect(200);
    expect(res.body.consents[1]).toEqual({
      purpose: 'marketing',
      status: 'withdrawn',
      granted: false,
      source: 'staff',
      changedBy: staff.userId,
      changedAt: expect.any(String),
    });
    await putConsent(staff, contactId, { purpose: 'service', granted: true }).expect(200);
    const after = await putConsent(staff, contactId, { purpose: 'marketing', granted: true }).expect(200);
    expect(after.body.consents.map((c: { status: string }) => c.status)).toEqual(['granted', 'granted']);
    expect(after.body.history.map((h: { purpose: string; status: string }) => `${h.purpose}:${h.status}`)).toEqual([
      'marketing:granted',
      'service:granted',
      'marketing:withdrawn',
    ]);

    const audit = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/audit-log`)
      .query({ action: 'consent.changed' })
      .set(shop.owner.auth)
      .expect(200);
    const mine = audit.body.items.filter((entry: { targetId: string }) => entry.targetId === contactId);
    expect(mine).toHaveLength(3);
    expect(mine[0]).toMatchObject({ actorType: 'user', actorUserId: staff.userId, ip: expect.any(String) });
  });

  it('records nothing for an answer that is already the current one', async () => {
    const res = await putConsent(staff, contactId, { purpose: 'marketing', granted: true }).expect(200);
    expect(res.body.history).toHaveLength(3);
  });

  it('refuses a bad purpose, a missing answer and unknown fields with 400', async () => {
    const bad = await putConsent(staff, contactId, { purpose: 'profiling', extra: 1 }).expect(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(['extra', 'granted', 'purpose']);
  });

  it('answers 404 for an unknown or malformed contact', async () => {
    await consents(staff, randomUUID()).expect(404);
    await consents(staff, 'not-a-uuid').expect(404);
    await putConsent(staff, randomUUID(), { purpose: 'marketing', granted: false }).expect(404);
    await sendTemplate(staff, randomUUID()).expect(404);
  });

  it("answers 404 to another tenant's member, who changes nothing", async () => {
    const foreign = other.owner;
    const asForeign = (path: string) => `/v1/tenants/${shop.owner.tenantId}/contacts/${contactId}${path}`;
    await t.http().get(asForeign('/consents')).set(foreign.auth).expect(404);
    await t
      .http()
      .put(asForeign('/consents'))
      .set(foreign.auth)
      .send({ purpose: 'marketing', granted: false })
      .expect(404);
    await t.http().post(asForeign('/templates')).set(foreign.auth).send(OFFER).expect(404);
    // Their own tenant id with our contact: not theirs either.
    await consents(foreign, contactId).expect(404);
    await putConsent(foreign, contactId, { purpose: 'marketing', granted: false }).expect(404);
    await sendTemplate(foreign, contactId).expect(404);
    const res = await consents(staff, contactId).expect(200);
    expect(res.body.consents[1]).toMatchObject({ status: 'granted' });
  });

  it('sends templates to WhatsApp contacts only', async () => {
    const igUser = `17${Math.floor(Math.random() * 1e13)}`;
    await postWebhook(t, instagramDelivery(shop.instagram!.accountId, [{ from: igUser, text: 'hi' }])).expect(200);
    const { id } = await contactOf(shop.owner.tenantId, igUser);
    const res = await sendTemplate(staff, id).expect(409);
    expect(res.body.error).toMatchObject({ code: 'whatsapp_only', details: { channel: 'instagram' } });
  });

  it('finds no erased contact to send a template to', async () => {
    const dayo = whatsappCustomer(t, graph, shop);
    await dayo.say('hi');
    const { id } = await contactOf(shop.owner.tenantId, dayo.number);
    const request = await t
      .http()
      .post(`/v1/tenants/${shop.owner.tenantId}/privacy-requests`)
      .set(shop.owner.auth)
      .send({ type: 'erasure', contactId: id })
      .expect(202);
    await until(
      async () =>
        (
          await t
            .http()
            .get(`/v1/tenants/${shop.owner.tenantId}/privacy-requests/${request.body.id}`)
            .set(shop.owner.auth)
        ).body.status as string,
      (status) => status === 'done',
      'the erasure to finish',
    );
    await sendTemplate(staff, id).expect(404);
  });

  it('refuses a malformed template', async () => {
    const res = await sendTemplate(staff, contactId, { name: 'Bad Name', languageCode: 'english', bodyParams: [''] });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details.fields).sort()).toEqual(['bodyParams', 'languageCode', 'name']);
  });
});
