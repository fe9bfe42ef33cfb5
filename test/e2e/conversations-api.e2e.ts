import { randomUUID } from 'node:crypto';
import { TenantDb } from '../../src/database/tenant-db.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { addMember, type Account } from '../support/fixtures.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Item {
  id: string;
  [field: string]: unknown;
}
interface PageBody {
  items: Item[];
  nextCursor: string | null;
}

let t: TestApp;
let graph: FakeGraphApi;
let shop: Shop;
let other: Shop;
let staff: Account;
const ada = customerNumber();
const bola = customerNumber();
const chidi = customerNumber();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A customer's text, stamped as WhatsApp does in whole seconds. The transcript orders by
 * that stamp, so each message waits for a fresh second: its stamp then falls after the
 * reply to the previous one, as it would for a customer typing at human speed.
 */
async function say(to: Shop, from: string, text: string, name: string) {
  await sleep(1005 - (Date.now() % 1000));
  const timestamp = String(Math.floor(Date.now() / 1000));
  await postWebhook(
    t,
    whatsappDelivery(to.whatsapp!.phoneNumberId, [
      { from, name, raw: { type: 'text', text: { body: text }, timestamp } },
    ]),
  ).expect(200);
}

const replies = (customer: string, count: number) =>
  graph.waitForCount(count, (m) => m.to.replace('+', '') === customer, 10_000);

function get(account: Account, path: string, query: Record<string, string | number> = {}) {
  return t.http().get(`/v1/tenants/${account.tenantId}${path}`).query(query).set(account.auth);
}

async function list(account: Account, path: string, query: Record<string, string | number> = {}): Promise<Item[]> {
  const res = await get(account, path, { limit: 100, ...query }).expect(200);
  const body = res.body as PageBody;
  expect(body.nextCursor).toBeNull();
  return body.items;
}

/** Follows `nextCursor` from the first page to the last, `limit` rows at a time. */
async function pageThrough(account: Account, path: string, query: Record<string, string | number> = {}, limit = 1) {
  const seen: Item[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(account, path, { ...query, limit, ...(cursor ? { cursor } : {}) }).expect(200);
    const body = res.body as PageBody;
    expect(body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...body.items);
    cursor = body.nextCursor;
    if (seen.length > 200) throw new Error('paging does not end');
  } while (cursor);
  return seen;
}

async function conversationOf(account: Account, customer: string): Promise<Item> {
  const items = await list(account, '/conversations');
  const found = items.find((c) => (c.contact as { phone: string }).phone === `+${customer}`);
  if (!found) throw new Error(`no conversation with +${customer}`);
  return found;
}

/** The transcript once every reply has left the outbox (its status arrives just after the send). */
async function deliveredTranscript(account: Account, conversationId: string): Promise<Item[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const items = await list(account, `/conversations/${conversationId}/messages`);
    if (items.every((m) => m.deliveryStatus !== 'pending')) return items;
    await sleep(100);
  }
  throw new Error('replies were not delivered');
}

beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url });
  shop = await openShop(t, graph);
  other = await openShop(t, graph);
  staff = await addMember(t, shop.owner, 'staff');

  await say(shop, ada, 'hi', 'Ada Obi');
  await replies(ada, 1);
  await say(shop, ada, 'menu', 'Ada Obi');
  await replies(ada, 2);
  await say(shop, bola, 'human', 'Bola 100%_Off');
  await replies(bola, 1);
  await say(other, chidi, 'hi', 'Chidi');
  await replies(chidi, 1);
}, 60_000);

afterAll(async () => {
  await t.close();
  await graph.close();
});

describe('the transcript', () => {
  it("shows the customer's messages and the bot's delivered replies, oldest first", async () => {
    const conversation = await conversationOf(staff, ada);
    const transcript = await deliveredTranscript(staff, conversation.id);
    const sent = graph.sentTo(ada);

    expect(transcript.map((m) => [m.direction, m.source, m.deliveryStatus])).toEqual([
      ['in', 'customer', null],
      ['out', 'fallback', 'sent'],
      ['in', 'customer', null],
      ['out', 'fallback', 'sent'],
    ]);
    const [hi, greeting, menu, catalog] = transcript;
    expect(hi).toMatchObject({ body: 'hi', content: { kind: 'text', text: 'hi' }, providerMessageId: null });
    expect(greeting.body).toContain('Welcome to');
    expect(menu.body).toBe('menu');
    expect(catalog.body).toContain('Fried Plantain');
    // Each reply names the message it answers and the id the Graph API gave it.
    expect(greeting).toMatchObject({ inReplyToId: hi.id, providerMessageId: sent[0].providerMessageId });
    expect(catalog).toMatchObject({ inReplyToId: menu.id, providerMessageId: sent[1].providerMessageId });
    expect(greeting).toEqual({
      id: expect.any(String),
      direction: 'out',
      source: 'fallback',
      body: expect.any(String),
      content: expect.any(Object),
      deliveryStatus: 'sent',
      providerMessageId: expect.any(String),
      errorCode: null,
      errorReason: null,
      inReplyToId: hi.id,
      authorUserId: null,
      createdAt: expect.any(String),
      statusAt: expect.any(String),
    });
  });

  it('pages the transcript one message at a time in the same order', async () => {
    const conversation = await conversationOf(shop.owner, ada);
    const whole = await list(shop.owner, `/conversations/${conversation.id}/messages`);
    const paged = await pageThrough(shop.owner, `/conversations/${conversation.id}/messages`);
    expect(paged.map((m) => m.id)).toEqual(whole.map((m) => m.id));
  });
});

describe('the conversation list', () => {
  it('shows each conversation with its contact, state and messaging window, to any member', async () => {
    const conversation = await conversationOf(staff, ada);
    expect(conversation).toEqual({
      id: expect.any(String),
      contact: { id: expect.any(String), displayName: 'Ada Obi', phone: `+${ada}` },
      channelId: shop.whatsapp!.channelId,
      mode: 'bot',
      commerceStep: 'browsing',
      assigneeId: null,
      lastInboundAt: expect.any(String),
      lastMessageAt: expect.any(String),
      createdAt: expect.any(String),
      windowOpen: true,
    });
    const one = await get(staff, `/conversations/${conversation.id}`).expect(200);
    expect(one.body).toEqual(conversation);
  });

  it('puts the most recent activity first and pages with limit=1 over every row once', async () => {
    const whole = await list(shop.owner, '/conversations');
    expect(whole.map((c) => (c.contact as { phone: string }).phone)).toEqual([`+${bola}`, `+${ada}`]);
    const paged = await pageThrough(shop.owner, '/conversations');
    expect(paged.map((c) => c.id)).toEqual(whole.map((c) => c.id));
  });

  it('filters by mode: a customer who asked for a human is escalated', async () => {
    const escalated = await list(staff, '/conversations', { mode: 'escalated' });
    expect(escalated.map((c) => (c.contact as { phone: string }).phone)).toEqual([`+${bola}`]);
    expect(escalated[0].mode).toBe('escalated');
    const bot = await list(staff, '/conversations', { mode: 'bot' });
    expect(bot.map((c) => (c.contact as { phone: string }).phone)).toEqual([`+${ada}`]);
    expect(await list(staff, '/conversations', { mode: 'human' })).toEqual([]);
  });

  it('filters by channel', async () => {
    const onChannel = await list(staff, '/conversations', { channelId: shop.whatsapp!.channelId });
    expect(onChannel).toHaveLength(2);
    expect(await list(staff, '/conversations', { channelId: randomUUID() })).toEqual([]);
    expect(await list(staff, '/conversations', { channelId: other.whatsapp!.channelId })).toEqual([]);
  });
});

describe('the contact list', () => {
  it('lists contacts newest first', async () => {
    const contacts = await list(staff, '/contacts');
    expect(contacts.map((c) => c.phone)).toEqual([`+${bola}`, `+${ada}`]);
    expect(contacts[1]).toEqual({
      id: expect.any(String),
      channelId: shop.whatsapp!.channelId,
      displayName: 'Ada Obi',
      phone: `+${ada}`,
      externalRef: ada,
      lastInboundAt: expect.any(String),
      createdAt: expect.any(String),
    });
    const one = await get(staff, `/contacts/${contacts[1].id}`).expect(200);
    expect(one.body).toEqual(contacts[1]);
    const paged = await pageThrough(staff, '/contacts');
    expect(paged.map((c) => c.id)).toEqual(contacts.map((c) => c.id));
  });

  it('searches the name or phone, case-insensitively, taking % and _ literally', async () => {
    const phones = async (q: string) => (await list(staff, '/contacts', { q })).map((c) => c.phone);
    expect(await phones('ada OBI')).toEqual([`+${ada}`]);
    expect(await phones(ada.slice(-6))).toEqual([`+${ada}`]);
    expect(await phones(`+${bola.slice(0, 8)}`)).toContain(`+${bola}`);
    expect(await phones('100%_off')).toEqual([`+${bola}`]);
    expect(await phones('%')).toEqual([`+${bola}`]);
    expect(await phones('_')).toEqual([`+${bola}`]);
    expect(await phones('nobody here')).toEqual([]);
  });
});

describe('keyset paging with Postgres microseconds', () => {
  // Rows in one millisecond: three a microsecond apart, then two at the very same instant,
  // which only the id orders. A millisecond cursor would skip or repeat some of them.
  const MS = '2031-05-06T07:08:09.123';
  const STAMPS = [`${MS}001Z`, `${MS}002Z`, `${MS}003Z`, `${MS}004Z`, `${MS}004Z`];
  let dense: Shop;
  let ids: { contacts: string[]; conversations: string[]; messages: string[]; undated: string; transcript: string };

  const newestFirst = (rows: { at: string; id: string }[]) =>
    [...rows].sort((x, y) => (x.at === y.at ? (x.id < y.id ? 1 : -1) : x.at < y.at ? 1 : -1)).map((r) => r.id);
  const oldestFirst = (rows: { at: string; id: string }[]) => newestFirst(rows).reverse();

  beforeAll(async () => {
    dense = await openShop(t, graph);
    const channelId = dense.whatsapp!.channelId;
    ids = await t.app.get(TenantDb).run({ tenantId: dense.owner.tenantId }, async (tx) => {
      const contacts: { at: string; id: string }[] = [];
      const conversations: { at: string; id: string }[] = [];
      for (const [i, at] of STAMPS.entries()) {
        const [contact] = await tx.query<{ id: string }[]>(
          `INSERT INTO contacts (tenant_id, channel_id, external_ref, display_name, created_at)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [dense.owner.tenantId, channelId, `dense-${i}`, `Dense ${i}`, at],
        );
        contacts.push({ at, id: contact.id });
        const [conversation] = await tx.query<{ id: string }[]>(
          `INSERT INTO conversations (tenant_id, contact_id, channel_id, last_message_at, last_inbound_at)
           VALUES ($1, $2, $3, $4, now() - interval '25 hours') RETURNING id`,
          [dense.owner.tenantId, contact.id, channelId, at],
        );
        conversations.push({ at, id: conversation.id });
      }
      // A conversation without activity yet: descending order lists it first.
      const [contact] = await tx.query<{ id: string }[]>(
        `INSERT INTO contacts (tenant_id, channel_id, external_ref, created_at) VALUES ($1, $2, 'dense-x', $3) RETURNING id`,
        [dense.owner.tenantId, channelId, '2031-01-01T00:00:00Z'],
      );
      const [undated] = await tx.query<{ id: string }[]>(
        `INSERT INTO conversations (tenant_id, contact_id, channel_id, last_inbound_at)
         VALUES ($1, $2, $3, now() - interval '1 hour') RETURNING id`,
        [dense.owner.tenantId, contact.id, channelId],
      );
      const messages: { at: string; id: string }[] = [];
      for (const at of STAMPS) {
        const [message] = await tx.query<{ id: string }[]>(
          `INSERT INTO messages (tenant_id, conversation_id, direction, source, body, created_at)
           VALUES ($1, $2, 'in', 'customer', 'same millisecond', $3) RETURNING id`,
          [dense.owner.tenantId, conversations[0].id, at],
        );
        messages.push({ at, id: message.id });
      }
      return {
        contacts: [...newestFirst(contacts), contact.id],
        conversations: [undated.id, ...newestFirst(conversations)],
        messages: oldestFirst(messages),
        undated: undated.id,
        transcript: conversations[0].id,
      };
    });
  });

  it('visits every contact once, in order', async () => {
    const paged = await pageThrough(dense.owner, '/contacts');
    expect(paged.map((c) => c.id)).toEqual(ids.contacts);
  });

  it('visits every conversation once, in order, the one without activity first', async () => {
    const paged = await pageThrough(dense.owner, '/conversations');
    expect(paged.map((c) => c.id)).toEqual(ids.conversations);
    const windows = Object.fromEntries(paged.map((c) => [c.id, c.windowOpen]));
    expect(windows[ids.undated]).toBe(true);
    expect(windows[ids.conversations[1]]).toBe(false);
    // Two at a time too, so that page boundaries fall elsewhere.
    expect((await pageThrough(dense.owner, '/conversations', {}, 2)).map((c) => c.id)).toEqual(ids.conversations);
  });

  it('visits every message once, in order', async () => {
    const paged = await pageThrough(dense.owner, `/conversations/${ids.transcript}/messages`);
    expect(paged.map((m) => m.id)).toEqual(ids.messages);
  });
});

describe('tenant isolation', () => {
  it("answers 404 to another tenant's member for tenant A's conversation and contact", async () => {
    const conversation = await conversationOf(shop.owner, ada);
    const contactId = (conversation.contact as { id: string }).id;
    for (const path of [
      `/conversations/${conversation.id}`,
      `/conversations/${conversation.id}/messages`,
      `/contacts/${contactId}`,
    ]) {
      // Through B's own tenant: the row is not B's.
      const own = await get(other.owner, path).expect(404);
      expect(own.body.error.code).toBe('not_found');
      // Through A's tenant: B is not a member.
      const res = await t.http().get(`/v1/tenants/${shop.owner.tenantId}${path}`).set(other.owner.auth).expect(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it("never lists another tenant's rows", async () => {
    const mine = await conversationOf(shop.owner, ada);
    const theirs = await conversationOf(other.owner, chidi);
    const aConversations = (await list(shop.owner, '/conversations')).map((c) => c.id);
    const bConversations = (await list(other.owner, '/conversations')).map((c) => c.id);
    expect(aConversations).toContain(mine.id);
    expect(aConversations).not.toContain(theirs.id);
    expect(bConversations).toEqual([theirs.id]);
    expect((await list(other.owner, '/contacts')).map((c) => c.phone)).toEqual([`+${chidi}`]);
    expect((await list(shop.owner, '/contacts')).map((c) => c.phone)).not.toContain(`+${chidi}`);
  });
});

describe('bad requests', () => {
  it('answers 404 not_found for malformed and unknown ids', async () => {
    for (const path of [
      '/conversations/not-a-uuid',
      `/conversations/${randomUUID()}`,
      `/conversations/${randomUUID()}/messages`,
      '/conversations/42/messages',
      `/contacts/${randomUUID()}`,
      '/contacts/nope',
    ]) {
      const res = await get(staff, path).expect(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('answers 400 invalid_cursor for a malformed cursor', async () => {
    const conversation = await conversationOf(staff, ada);
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cursors = [
      'garbage!',
      forged(['2031-05-06T07:08:09.123Z', randomUUID()]),
      forged(['2031-02-30T07:08:09.123456Z', randomUUID()]),
      forged(['2031-05-06T07:08:09.123456Z', 'not-a-uuid']),
      forged({ at: '2031-05-06T07:08:09.123456Z' }),
    ];
    for (const path of ['/contacts', '/conversations', `/conversations/${conversation.id}/messages`]) {
      for (const cursor of cursors) {
        const res = await get(staff, path, { cursor }).expect(400);
        expect(res.body.error.code).toBe('invalid_cursor');
      }
    }
    // Only a conversation can sit at a null position (no activity yet).
    const res = await get(staff, '/contacts', { cursor: forged([null, randomUUID()]) }).expect(400);
    expect(res.body.error.code).toBe('invalid_cursor');
  });

  it('answers 400 to unknown query parameters and bad filters', async () => {
    const conversation = await conversationOf(staff, ada);
    const cases: [string, Record<string, string | number>][] = [
      ['/contacts', { sort: 'name' }],
      ['/contacts', { q: '' }],
      ['/conversations', { mode: 'sleeping' }],
      ['/conversations', { channelId: 'whatsapp' }],
      ['/conversations', { status: 'open' }],
      ['/conversations', { limit: 0 }],
      ['/conversations', { limit: 101 }],
      [`/conversations/${conversation.id}/messages`, { direction: 'in' }],
    ];
    for (const [path, query] of cases) {
      const res = await get(staff, path, query).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});
