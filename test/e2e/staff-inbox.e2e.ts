import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { TenantDb } from '../../src/database/tenant-db.js';
import { CONVERSATION_EVENT, type TenantEvent } from '../../src/modules/conversations/events/conversation-events.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { addMember, type Account } from '../support/fixtures.js';
import { instagramDelivery, postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Conversation {
  id: string;
  mode: string;
  assigneeId: string | null;
  escalatedAt: string | null;
  resolvedAt: string | null;
  unreadCount: number;
  [field: string]: unknown;
}

let t: TestApp;
let graph: FakeGraphApi;
let shop: Shop;
let other: Shop;
let tunde: Account;
let kemi: Account;

beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, DELIVERY_RETRY_BASE_MS: '50' });
  shop = await openShop(t, graph, { whatsapp: true, instagram: true });
  other = await openShop(t, graph);
  tunde = await addMember(t, shop.owner, 'staff');
  kemi = await addMember(t, shop.owner, 'staff');
}, 60_000);

afterAll(async () => {
  await t.close();
  await graph.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const forCustomer = (customer: string) => (m: { to: string }) => m.to.replace('+', '') === customer;
const inTenant = <T>(tenantId: string, sql: string, params: unknown[] = []) =>
  t.app.get(TenantDb).run({ tenantId }, (tx) => tx.query<T>(sql, params));

function api(account: Account, method: 'get' | 'post' | 'put', path: string, body?: object) {
  const req = t.http()[method](`/v1/tenants/${account.tenantId}${path}`).set(account.auth);
  return body === undefined ? req : req.send(body);
}

const action = (account: Account, conversationId: string, name: string, body?: object) =>
  api(account, 'post', `/conversations/${conversationId}/${name}`, body);

async function conversation(account: Account, conversationId: string): Promise<Conversation> {
  const listed = (await inbox(account)).find((c) => c.id === conversationId);
  if (listed) return listed;
  // Not with staff: the read API still has it, without the inbox fields.
  return (await api(account, 'get', `/conversations/${conversationId}`).expect(200)).body as Conversation;
}

async function inbox(account: Account, query: Record<string, string | number> = {}): Promise<Conversation[]> {
  const res = await t
    .http()
    .get(`/v1/tenants/${account.tenantId}/inbox`)
    .query({ limit: 100, ...query })
    .set(account.auth)
    .expect(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items as Conversation[];
}

/** A customer's WhatsApp text, posted as Meta does; resolves once `replies` bot answers have arrived. */
async function say(to: Shop, customer: string, text: string, replies?: number) {
  await postWebhook(t, whatsappDelivery(to.whatsapp!.phoneNumberId, [{ from: customer, text }])).expect(200);
  if (replies !== undefined) await graph.waitForCount(replies, forCustomer(customer), 10_000);
}

async function conversationIdOf(tenantId: string, externalRef: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const [row] = await inTenant<{ id: string }[]>(
      tenantId,
      `SELECT c.id FROM conversations c JOIN contacts ct ON ct.tenant_id = c.tenant_id AND ct.id = c.contact_id
        WHERE ct.external_ref = $1`,
      [externalRef],
    );
    if (row) return row.id;
    await sleep(50);
  }
  throw new Error(`no conversation with ${externalRef}`);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A customer who has talked to the bot once; returns their conversation id. */
async function customerOf(to: Shop): Promise<{ customer: string; conversationId: string }> {
  const customer = customerNumber();
  await say(to, customer, 'hi', 1);
  return { customer, conversationId: await conversationIdOf(to.owner.tenantId, customer) };
}

describe('hand-over between the bot and staff', () => {
  const ada = customerNumber();
  let id: string;

  it('lists a customer who asks for a human as escalated, waiting and unread', async () => {
    await say(shop, ada, 'hi', 1);
    await say(shop, ada, 'human', 2);
    id = await conversationIdOf(shop.owner.tenantId, ada);
    expect(graph.sentTo(ada)[1].text).toContain('a person from our team will answer you');

    const escalated = await inbox(tunde, { mode: 'escalated' });
    expect(escalated.map((c) => c.id)).toEqual([id]);
    expect(escalated[0]).toMatchObject({
      mode: 'escalated',
      assigneeId: null,
      escalatedAt: expect.any(String),
      resolvedAt: null,
      unreadCount: 2,
      contact: { phone: `+${ada}` },
    });
    expect((await inbox(tunde, { assignee: 'none' })).map((c) => c.id)).toEqual([id]);
    expect(await inbox(tunde, { assignee: 'me' })).toEqual([]);
    expect(await inbox(tunde, { mode: 'human' })).toEqual([]);
  });

  it("delivers a staff reply with the staff member's text, and makes the conversation human and theirs", async () => {
    const text = `Hello Ada, Tunde here ${randomUUID().slice(0, 6)}`;
    const res = await action(tunde, id, 'messages', { text }).expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      direction: 'out',
      source: 'staff',
      body: text,
      authorUserId: tunde.userId,
      deliveryStatus: 'pending',
    });

    const sent = await graph.waitForCount(3, forCustomer(ada), 10_000);
    expect(sent[2].text).toBe(text);
    expect(sent[2].accountId).toBe(shop.whatsapp!.phoneNumberId);

    const now = await conversation(tunde, id);
    expect(now).toMatchObject({ mode: 'human', assigneeId: tunde.userId, unreadCount: 0 });
    expect((await inbox(tunde, { assignee: 'me', mode: 'human' })).map((c) => c.id)).toEqual([id]);
    expect((await inbox(kemi, { assignee: tunde.userId })).map((c) => c.id)).toEqual([id]);
    expect(await inbox(kemi, { assignee: 'me' })).toEqual([]);
  });

  it('keeps the bot silent while a human has the conversation, and counts the message unread until read', async () => {
    await say(shop, ada, 'menu');
    const unread = await until(
      () => conversation(tunde, id),
      (c) => c.unreadCount === 1,
      'the message to be recorded',
    );
    expect(unread.mode).toBe('human');
    await sleep(800);
    expect(graph.sentTo(ada)).toHaveLength(3);

    const read = await action(tunde, id, 'read').expect(200);
    expect(read.body).toMatchObject({ id, unreadCount: 0, mode: 'human' });
  });

  it('returns the conversation to the bot, which answers the next message itself', async () => {
    const res = await action(tunde, id, 'return-to-bot').expect(200);
    expect(res.body).toMatchObject({ id, mode: 'bot', assigneeId: null, escalatedAt: null });
    expect(await inbox(tunde)).toEqual([]);

    // Already with the bot: a second hand-back is not a change.
    const again = await action(kemi, id, 'return-to-bot').expect(409);
    expect(again.body.error).toMatchObject({ code: 'illegal_transition' });

    await say(shop, ada, 'menu', 4);
    expect(JSON.stringify(graph.sentTo(ada)[3].body)).toContain('Jollof Rice');
    expect((await conversation(tunde, id)).mode).toBe('bot');
  });

  it('resolves a conversation; when the customer writes again, the bot answers', async () => {
    await say(shop, ada, 'human', 5);
    const resolved = await action(kemi, id, 'resolve').expect(200);
    expect(resolved.body).toMatchObject({ id, mode: 'resolved', assigneeId: null, resolvedAt: expect.any(String) });

    const again = await action(kemi, id, 'resolve').expect(409);
    expect(again.body.error).toMatchObject({
      code: 'illegal_transition',
      details: { from: 'resolved', to: 'resolved' },
    });

    await say(shop, ada, 'menu', 6);
    expect(JSON.stringify(graph.sentTo(ada)[5].body)).toContain('Jollof Rice');
    expect((await conversation(kemi, id)).mode).toBe('bot');
  });

  it('escalates from the API, assigns to a member, refuses a non-member and unassigns with null', async () => {
    const { conversationId } = await customerOf(shop);
    const refused = await action(tunde, conversationId, 'assign', { userId: kemi.userId }).expect(409);
    expect(refused.body.error.code).toBe('not_with_staff');

    const escalated = await action(tunde, conversationId, 'escalate').expect(200);
    expect(escalated.body).toMatchObject({ mode: 'escalated', assigneeId: null, escalatedAt: expect.any(String) });
    expect((await action(tunde, conversationId, 'escalate').expect(409)).body.error.code).toBe('illegal_transition');

    const assigned = await action(tunde, conversationId, 'assign', { userId: kemi.userId }).expect(200);
    expect(assigned.body).toMatchObject({ mode: 'escalated', assigneeId: kemi.userId });

    for (const userId of [other.owner.userId, randomUUID()]) {
      const res = await action(tunde, conversationId, 'assign', { userId }).expect(404);
      expect(res.body.error.code).toBe('member_not_found');
    }
    for (const body of [{}, { userId: 'kemi' }, { userId: kemi.userId, mode: 'human' }]) {
      const res = await action(tunde, conversationId, 'assign', body).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
    }

    const unassigned = await action(tunde, conversationId, 'assign', { userId: null }).expect(200);
    expect(unassigned.body).toMatchObject({ mode: 'escalated', assigneeId: null });

    const audit = await api(shop.owner, 'get', '/audit-log?action=conversation.assigned').expect(200);
    const entries = (audit.body.items as { targetId: string; actorUserId: string; details: object }[]).filter(
      (e) => e.targetId === conversationId,
    );
    expect(entries.map((e) => e.details)).toEqual([
      { assigneeId: null, previousAssigneeId: kemi.userId, automatic: false },
      { assigneeId: kemi.userId, previousAssigneeId: null, automatic: false },
    ]);
    expect(entries.every((e) => e.actorUserId === tunde.userId)).toBe(true);
    const escalations = await api(shop.owner, 'get', '/audit-log?action=conversation.escalated').expect(200);
    expect(escalations.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ targetId: conversationId, details: expect.objectContaining({ from: 'bot' }) }),
      ]),
    );
    await action(tunde, conversationId, 'resolve').expect(200);
  });

  it('refuses a blank or oversized reply and unknown ids', async () => {
    const { conversationId } = await customerOf(shop);
    for (const body of [{}, { text: '' }, { text: '   ' }, { text: 'x'.repeat(4097) }, { text: 'hi', to: 'x' }]) {
      const res = await action(tunde, conversationId, 'messages', body).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    for (const name of ['escalate', 'resolve', 'return-to-bot', 'read']) {
      expect((await action(tunde, randomUUID(), name).expect(404)).body.error.code).toBe('not_found');
      expect((await action(tunde, 'nope', name).expect(404)).body.error.code).toBe('not_found');
    }
    expect((await action(tunde, randomUUID(), 'messages', { text: 'hi' }).expect(404)).body.error.code).toBe(
      'not_found',
    );
  });
});

describe('messaging windows for staff replies', () => {
  const setLastInbound = (conversationId: string, interval: string) =>
    inTenant(shop.owner.tenantId, `UPDATE conversations SET last_inbound_at = now() - $2::interval WHERE id = $1`, [
      conversationId,
      interval,
    ]);
  const staffMessages = async (conversationId: string) =>
    (
      await inTenant<{ messages: number; outbox: number }[]>(
        shop.owner.tenantId,
        `SELECT (SELECT count(*) FROM messages WHERE conversation_id = $1 AND source = 'staff')::int AS messages,
                (SELECT count(*) FROM outbox_messages WHERE conversation_id = $1)::int AS outbox`,
        [conversationId],
      )
    )[0];

  it('refuses a WhatsApp reply 25 hours after the customer last wrote, storing nothing', async () => {
    const { customer, conversationId } = await customerOf(shop);
    await setLastInbound(conversationId, '25 hours');
    const before = await staffMessages(conversationId);

    const res = await action(tunde, conversationId, 'messages', { text: 'Are you still there?' }).expect(409);
    expect(res.body.error.code).toBe('outside_window');

    expect(await staffMessages(conversationId)).toEqual(before);
    expect(before.messages).toBe(0);
    expect(await conversation(tunde, conversationId)).toMatchObject({ mode: 'bot', assigneeId: null });
    await sleep(300);
    expect(graph.sentTo(customer)).toHaveLength(1);
  });

  it('sends an Instagram reply 3 days on with the HUMAN_AGENT tag, and refuses one after 7 days', async () => {
    const customer = `IGSID${Date.now()}`;
    const account = shop.instagram!.accountId;
    await postWebhook(t, instagramDelivery(account, [{ from: customer, text: 'hi' }])).expect(200);
    await graph.waitForCount(1, forCustomer(customer), 10_000);
    const conversationId = await conversationIdOf(shop.owner.tenantId, customer);

    await setLastInbound(conversationId, '3 days');
    await action(kemi, conversationId, 'messages', { text: 'Your order is ready' }).expect(201);
    const [, tagged] = await graph.waitForCount(2, forCustomer(customer), 10_000);
    expect(tagged.text).toBe('Your order is ready');
    expect(tagged.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    await setLastInbound(conversationId, '8 days');
    const res = await action(kemi, conversationId, 'messages', { text: 'Hello?' }).expect(409);
    expect(res.body.error.code).toBe('outside_window');
    expect((await staffMessages(conversationId)).messages).toBe(1);
  });
});

describe('availability and auto-assignment', () => {
  const available = (account: Account, status: 'available' | 'away') =>
    api(account, 'put', '/me/availability', { status }).expect(200);
  const loads = (items: Conversation[], people: Account[]) =>
    people.map((p) => items.filter((c) => c.assigneeId === p.userId).length);

  it('splits five simultaneous escalations 3/2 between two available staff', async () => {
    const team = await openShop(t, graph);
    const [amaka, bayo] = [await addMember(t, team.owner, 'staff'), await addMember(t, team.owner, 'admin')];
    expect((await api(amaka, 'get', '/me/availability').expect(200)).body).toEqual({ status: 'away', since: null });
    const set = await available(amaka, 'available');
    expect(set.body).toEqual({ status: 'available', since: expect.any(String) });
    await available(bayo, 'available');

    const customers = await Promise.all(Array.from({ length: 5 }, () => customerOf(team)));
    await Promise.all(customers.map((c) => action(team.owner, c.conversationId, 'escalate').expect(200)));

    const items = await inbox(team.owner, { mode: 'escalated' });
    expect(items).toHaveLength(5);
    expect(loads(items, [amaka, bayo]).sort()).toEqual([2, 3]);
    expect(await inbox(team.owner, { assignee: 'none' })).toEqual([]);

    // A customer's own escalation is assigned when the engine announces it: to the less loaded.
    const { customer, conversationId } = await customerOf(team);
    await say(team, customer, 'human', 2);
    const lighter = loads(items, [amaka, bayo])[0] === 2 ? amaka : bayo;
    const event: TenantEvent = {
      tenantId: team.owner.tenantId,
      event: { type: 'conversation.escalated', conversationId },
      at: new Date().toISOString(),
    };
    t.app.get(EventEmitter2).emit(CONVERSATION_EVENT, event);
    const taken = await until(
      () => conversation(team.owner, conversationId),
      (c) => c.assigneeId !== null,
      'auto-assignment',
    );
    expect(taken).toMatchObject({ mode: 'escalated', assigneeId: lighter.userId });
  });

  it('keeps escalations waiting while everyone is away, then assigns them oldest first within the cap', async () => {
    const queue = await openShop(t, graph);
    const [amaka, bayo] = [await addMember(t, queue.owner, 'staff'), await addMember(t, queue.owner, 'staff')];
    await available(amaka, 'away');
    expect((await api(amaka, 'put', '/inbox-settings', { maxOpenPerAgent: 2 }).expect(403)).body.error.code).toBe(
      'forbidden',
    );
    const settings = await api(queue.owner, 'put', '/inbox-settings', { maxOpenPerAgent: 2 }).expect(200);
    expect(settings.body).toEqual({ maxOpenPerAgent: 2, updatedAt: expect.any(String) });
    expect((await api(amaka, 'get', '/inbox-settings').expect(200)).body.maxOpenPerAgent).toBe(2);

    const waiting: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { conversationId } = await customerOf(queue);
      await action(queue.owner, conversationId, 'escalate').expect(200);
      waiting.push(conversationId);
    }
    const queued = await inbox(amaka, { assignee: 'none' });
    expect(queued.map((c) => c.id)).toEqual(waiting);
    // The same order a page at a time.
    const first = await t
      .http()
      .get(`/v1/tenants/${queue.owner.tenantId}/inbox`)
      .query({ limit: 2 })
      .set(amaka.auth)
      .expect(200);
    const second = await t
      .http()
      .get(`/v1/tenants/${queue.owner.tenantId}/inbox`)
      .query({ limit: 2, cursor: first.body.nextCursor })
      .set(amaka.auth)
      .expect(200);
    expect([...first.body.items, ...second.body.items].map((c: Conversation) => c.id)).toEqual(waiting);
    expect(second.body.nextCursor).toBeNull();

    // Ada comes in: the two oldest are hers, the cap keeps the third waiting.
    await available(amaka, 'available');
    let items = await inbox(amaka);
    expect(items.map((c) => c.assigneeId)).toEqual([amaka.userId, amaka.userId, null]);

    await available(bayo, 'available');
    items = await inbox(amaka);
    expect(items.map((c) => c.assigneeId)).toEqual([amaka.userId, amaka.userId, bayo.userId]);

    // Bayo has one slot left; two escalations at once must not both take it.
    const pair = [await customerOf(queue), await customerOf(queue)];
    await Promise.all(pair.map((c) => action(queue.owner, c.conversationId, 'escalate').expect(200)));
    items = await inbox(amaka);
    expect(loads(items, [amaka, bayo])).toEqual([2, 2]);
    const left = await inbox(amaka, { assignee: 'none' });
    expect(left).toHaveLength(1);

    // Going away keeps what one holds; resolving frees a slot that the waiting one takes.
    await available(amaka, 'away');
    expect(loads(await inbox(amaka), [amaka, bayo])).toEqual([2, 2]);
    await action(bayo, items.find((c) => c.assigneeId === bayo.userId)!.id, 'resolve').expect(200);
    expect(await conversation(amaka, left[0].id)).toMatchObject({ mode: 'escalated', assigneeId: bayo.userId });
    expect(await inbox(amaka, { assignee: 'none' })).toEqual([]);
  });

  it('refuses bad inbox queries and settings', async () => {
    for (const query of [{ mode: 'bot' }, { assignee: 'everyone' }, { limit: 0 }, { cursor: 'garbage!' }]) {
      const res = await t
        .http()
        .get(`/v1/tenants/${shop.owner.tenantId}/inbox`)
        .query(query)
        .set(tunde.auth)
        .expect(400);
      expect(['validation_failed', 'invalid_cursor']).toContain(res.body.error.code);
    }
    for (const body of [{ maxOpenPerAgent: 0 }, { maxOpenPerAgent: 101 }, { maxOpenPerAgent: 2.5 }, {}]) {
      await api(shop.owner, 'put', '/inbox-settings', body).expect(400);
    }
    await api(tunde, 'put', '/me/availability', { status: 'busy' }).expect(400);
  });
});

describe('tenant isolation', () => {
  it("answers 404 to another tenant's member on every staff inbox route", async () => {
    const { customer, conversationId } = await customerOf(shop);
    await say(shop, customer, 'human', 2);
    const routes: ['get' | 'post' | 'put', string, object?][] = [
      ['post', `/conversations/${conversationId}/assign`, { userId: null }],
      ['post', `/conversations/${conversationId}/escalate`],
      ['post', `/conversations/${conversationId}/resolve`],
      ['post', `/conversations/${conversationId}/return-to-bot`],
      ['post', `/conversations/${conversationId}/read`],
      ['post', `/conversations/${conversationId}/messages`, { text: 'I am not from this shop' }],
      ['get', '/inbox'],
      ['get', '/me/availability'],
      ['put', '/me/availability', { status: 'available' }],
      ['get', '/inbox-settings'],
      ['put', '/inbox-settings', { maxOpenPerAgent: 3 }],
    ];
    for (const [method, path, body] of routes) {
      // Through A's tenant: B is not a member.
      const foreign = await api({ ...other.owner, tenantId: shop.owner.tenantId }, method, path, body);
      expect([foreign.status, foreign.body.error?.code, path]).toEqual([404, 'not_found', path]);
      // Through B's own tenant: A's conversation is not B's.
      if (path.startsWith('/conversations/')) {
        const own = await api(other.owner, method, path, body);
        expect([own.status, own.body.error?.code, path]).toEqual([404, 'not_found', path]);
      }
    }
    // Nothing moved in A's tenant.
    expect(await conversation(shop.owner, conversationId)).toMatchObject({
      mode: 'escalated',
      assigneeId: null,
      unreadCount: 2,
    });
    expect(await inbox(other.owner)).toEqual([]);
    await sleep(300);
    expect(graph.sentTo(customer)).toHaveLength(2);
    expect((await api(shop.owner, 'get', '/inbox-settings').expect(200)).body.updatedAt).toBeNull();
  });
});
