import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { createHttpApp } from '../../src/bootstrap/create-http-app.js';
import { createRootLogger } from '../../src/common/logging/logger.js';
import { loadConfig } from '../../src/config/app-config.js';
import { TenantDb } from '../../src/database/tenant-db.js';
import { ReplySignals } from '../../src/modules/channels/webchat/reply-signals.service.js';
import { WEBCHAT_MESSAGES_PER_MINUTE } from '../../src/modules/channels/webchat/webchat-session-limiter.js';
import { announceWebchatReply } from '../../src/modules/channels/webchat/webchat-signal.js';
import { signUp, type Account } from '../support/fixtures.js';
import { MENU } from '../support/shop.js';
import { startTestApp, TEST_ENV, type TestApp } from '../support/test-app.js';

const SHOP_ORIGIN = 'https://shop.example';

interface Reply {
  id: string;
  direction: string;
  text: string;
  content: { kind: string; text?: string };
  createdAt: string;
}

let t: TestApp;
let owner: Account;
let channelId: string;

async function connectWebchat(account: Account, allowedOrigins = [SHOP_ORIGIN]): Promise<string> {
  const res = await t
    .http()
    .post(`/v1/tenants/${account.tenantId}/channels`)
    .set(account.auth)
    .send({ type: 'webchat', name: 'Website', allowedOrigins })
    .expect(201);
  return res.body.id as string;
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await signUp(t);
  for (const item of MENU)
    await t.http().post(`/v1/tenants/${owner.tenantId}/products`).set(owner.auth).send(item).expect(201);
  channelId = await connectWebchat(owner);
});
afterAll(() => t.close());

async function openSession(channel = channelId): Promise<string> {
  const res = await t.http().post(`/v1/webchat/${channel}/sessions`).expect(201);
  expect(Object.keys(res.body)).toEqual(['sessionToken']);
  return res.body.sessionToken as string;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const send = (token: string, text: string, clientMessageId: string = randomUUID(), channel = channelId) =>
  t.http().post(`/v1/webchat/${channel}/messages`).set(bearer(token)).send({ text, clientMessageId });

const poll = (token: string, query: { after?: string | null; wait?: number } = {}, http = t.http()) =>
  http
    .get(`/v1/webchat/${channelId}/messages`)
    .set(bearer(token))
    .query({ ...(query.after ? { after: query.after } : {}), wait: query.wait ?? 0 });

/** A customer at the keyboard: sends, and long-polls for what comes back. */
class Customer {
  cursor: string | null = null;
  readonly replies: Reply[] = [];

  constructor(readonly token: string) {}

  static async arrive(): Promise<Customer> {
    return new Customer(await openSession());
  }

  async say(text: string, clientMessageId?: string): Promise<void> {
    await send(this.token, text, clientMessageId).expect(202, { accepted: true });
  }

  /** Long-polls until `count` more replies have come, and returns them. */
  async expectReplies(count = 1): Promise<Reply[]> {
    const wanted = this.replies.length + count;
    const deadline = Date.now() + 15_000;
    while (this.replies.length < wanted && Date.now() < deadline) await this.pollOnce(5);
    expect(this.replies.length).toBe(wanted);
    return this.replies.slice(wanted - count);
  }

  async pollOnce(wait: number): Promise<Reply[]> {
    const res = await poll(this.token, { after: this.cursor, wait }).expect(200);
    this.replies.push(...(res.body.items as Reply[]));
    this.cursor = res.body.nextCursor as string | null;
    return res.body.items as Reply[];
  }
}

describe('web chat customers and the command bot', () => {
  it('greets through a long-poll that was already waiting, then shows the menu and totals the cart', async () => {
    const customer = await Customer.arrive();
    const waiting = poll(customer.token, { wait: 20 }).then((res) => res);
    // Let the long-poll find nothing and start waiting before the customer speaks.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await customer.say('hi');
    const woken = await waiting;
    expect(woken.status).toBe(200);
    expect(woken.body.items).toHaveLength(1);
    const [greeting] = woken.body.items as Reply[];
    expect(greeting).toMatchObject({ direction: 'out', content: { kind: 'text' } });
    expect(greeting.text).toContain('Welcome to');
    customer.replies.push(greeting);
    customer.cursor = woken.body.nextCursor;

    await customer.say('menu');
    const [menu] = await customer.expectReplies();
    for (const item of MENU) expect(menu.text).toContain(item.name);

    await customer.say('add 2 3');
    await customer.expectReplies();
    await customer.say('cart');
    const [cart] = await customer.expectReplies();
    // 3 × ₦800.00, item 2 of the menu.
    expect(cart.text).toContain('₦2,400.00');
  });

  it('answers a message resent with the same clientMessageId once', async () => {
    const customer = await Customer.arrive();
    const clientMessageId = `m-${Date.now()}:1`;
    await customer.say('hi', clientMessageId);
    await customer.say('hi', clientMessageId);
    await customer.expectReplies(1);
    // Nothing more comes, even given time to.
    expect(await customer.pollOnce(3)).toEqual([]);
    await customer.say('cart');
    const [cart] = await customer.expectReplies(1);
    expect(cart.text).toContain('Your cart is empty');
  });

  it('keeps two sessions apart even when they choose the same clientMessageId', async () => {
    const [ada, bola] = [await Customer.arrive(), await Customer.arrive()];
    await ada.say('add 1', 'same-id');
    await bola.say('add 3', 'same-id');
    await Promise.all([ada.expectReplies(), bola.expectReplies()]);
    await ada.say('cart');
    expect((await ada.expectReplies())[0].text).toContain(MENU[0].name);
    await bola.say('cart');
    const [cart] = await bola.expectReplies();
    expect(cart.text).toContain(MENU[2].name);
    expect(cart.text).not.toContain(MENU[0].name);
  });

  it('answers an empty page when nothing comes before the wait is over, keeping the cursor', async () => {
    const customer = await Customer.arrive();
    await customer.say('hi');
    await customer.expectReplies();
    const res = await poll(customer.token, { after: customer.cursor, wait: 1 }).expect(200);
    expect(res.body).toEqual({ items: [], nextCursor: customer.cursor });
  });

  it('wakes a long-poll held by another API instance', async () => {
    const config = loadConfig({
      ...TEST_ENV,
      DATABASE_URL: t.databaseUrl,
      REDIS_PREFIX: t.config.redis.prefix,
      APP_ROLE: 'api',
      PORT: '0',
    });
    const other: NestFastifyApplication = await createHttpApp(config, createRootLogger(config.logLevel));
    await other.listen(0, '127.0.0.1');
    try {
      const address = other.getHttpServer().address() as { port: number };
      const customer = await Customer.arrive();
      const waiting = poll(customer.token, { wait: 20 }, request(`http://127.0.0.1:${address.port}`));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await customer.say('hi');
      const res = await waiting;
      expect(res.status).toBe(200);
      expect(res.body.items[0].text).toContain('Welcome to');
    } finally {
      await other.close();
    }
  });

  it('hears a reply announced by another process, for the session it waits on only', async () => {
    const sessionId = randomUUID();
    const watch = await t.app.get(ReplySignals).watch(sessionId);
    const publisher = new Redis(t.config.redis.url);
    const forever = new AbortController().signal;
    try {
      await announceWebchatReply(publisher, t.config.redis.prefix, randomUUID());
      expect(await watch.next(500, forever)).toBe('elapsed');
      await announceWebchatReply(publisher, t.config.redis.prefix, sessionId);
      expect(await watch.next(20_000, forever)).toBe('announced');
    } finally {
      watch.close();
      publisher.disconnect();
    }
  });

  it('stops waiting for a client that went away', async () => {
    const token = await openSession();
    const [{ id: sessionId }] = await t.app
      .get(TenantDb)
      .run({ tenantId: owner.tenantId }, (tx) =>
        tx.query<{ id: string }[]>(`SELECT id FROM webchat_sessions WHERE token_hash = $1`, [sha256(token)]),
      );
    const signals = t.app.get(ReplySignals);
    const leaving = new AbortController();
    const request = fetch(`${t.url}/v1/webchat/${channelId}/messages?wait=20`, {
      headers: bearer(token),
      signal: leaving.signal,
    }).catch(() => undefined);
    await until(() => signals.watching(sessionId) === 1);
    leaving.abort();
    await request;
    await until(() => signals.watching(sessionId) === 0);
  });
});

describe('web chat sessions', () => {
  it('stores only the hash of the session token', async () => {
    const token = await openSession();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await t.app
      .get(TenantDb)
      .run({ tenantId: owner.tenantId }, (tx) =>
        tx.query<{ json: string }[]>(
          `SELECT row_to_json(s)::text AS json FROM webchat_sessions s WHERE token_hash = $1`,
          [sha256(token)],
        ),
      );
    expect(rows).toHaveLength(1);
    expect(rows[0].json).not.toContain(token);
  });

  it.each([
    ['an unknown channel', () => randomUUID()],
    ['a malformed channel id', () => 'not-a-channel'],
  ])('answers 404 for %s', async (_, id) => {
    const res = await t.http().post(`/v1/webchat/${id()}/sessions`).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers 404 on a disconnected channel, for new and existing sessions alike', async () => {
    const closing = await connectWebchat(owner);
    const token = await openSession(closing);
    await t.http().delete(`/v1/tenants/${owner.tenantId}/channels/${closing}`).set(owner.auth).expect(204);
    await t.http().post(`/v1/webchat/${closing}/sessions`).expect(404);
    await send(token, 'hi', randomUUID(), closing).expect(404);
  });

  it('refuses a missing, malformed or unknown token with 401 invalid_session', async () => {
    for (const headers of [
      {},
      { Authorization: 'Bearer nope' },
      bearer('A'.repeat(43)),
      { Authorization: 'Basic x' },
    ]) {
      const sent = await t
        .http()
        .post(`/v1/webchat/${channelId}/messages`)
        .set(headers)
        .send({ text: 'hi', clientMessageId: 'x' })
        .expect(401);
      expect(sent.body.error.code).toBe('invalid_session');
      const read = await t.http().get(`/v1/webchat/${channelId}/messages`).set(headers).expect(401);
      expect(read.body.error.code).toBe('invalid_session');
    }
  });

  it('refuses the session of another channel, of the same business or of another', async () => {
    const sameBusiness = await openSession(await connectWebchat(owner));
    const otherBusiness = await openSession(await connectWebchat(await signUp(t)));
    for (const token of [sameBusiness, otherBusiness]) {
      expect((await send(token, 'hi').expect(401)).body.error.code).toBe('invalid_session');
      expect((await poll(token).expect(401)).body.error.code).toBe('invalid_session');
    }
  });

  it('shows a customer only their own replies', async () => {
    const [ada, bola] = [await Customer.arrive(), await Customer.arrive()];
    await ada.say('hi');
    await ada.expectReplies();
    expect(await bola.pollOnce(0)).toEqual([]);
  });

  it.each([
    [{ text: '', clientMessageId: 'a' }, 'text'],
    [{ text: '   ', clientMessageId: 'a' }, 'text'],
    [{ text: 'x'.repeat(2001), clientMessageId: 'a' }, 'text'],
    [{ text: 'hi', clientMessageId: 'has space' }, 'clientMessageId'],
    [{ text: 'hi', clientMessageId: 'x'.repeat(101) }, 'clientMessageId'],
    [{ text: 'hi' }, 'clientMessageId'],
    [{ text: 'hi', clientMessageId: 'a', channel: 'whatsapp' }, 'channel'],
  ])('refuses an invalid message %j', async (body, field) => {
    const token = await openSession();
    const res = await t.http().post(`/v1/webchat/${channelId}/messages`).set(bearer(token)).send(body).expect(400);
    expect(Object.keys(res.body.error.details.fields)).toContain(field);
  });

  it.each([
    [{ wait: '26' }, 'validation_failed'],
    [{ wait: '-1' }, 'validation_failed'],
    [{ after: 'not-a-cursor' }, 'invalid_cursor'],
    [{ since: 'x' }, 'validation_failed'],
  ])('refuses the reply query %j', async (query, code) => {
    const token = await openSession();
    const res = await t.http().get(`/v1/webchat/${channelId}/messages`).set(bearer(token)).query(query).expect(400);
    expect(res.body.error.code).toBe(code);
  });

  it('limits how fast one session may send', async () => {
    const token = await openSession();
    const sent = await Promise.all(
      Array.from({ length: WEBCHAT_MESSAGES_PER_MINUTE }, (_, i) => send(token, `unknown words ${i}`)),
    );
    expect(sent.map((res) => res.status)).toEqual(sent.map(() => 202));
    const refused = await send(token, 'one more').expect(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another customer on the same address is not held back.
    await send(await openSession(), 'hi').expect(202);
  });
});

describe('web chat CORS', () => {
  const preflight = (origin: string, channel = channelId) =>
    t
      .http()
      .options(`/v1/webchat/${channel}/messages`)
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');

  it("admits a preflight from the channel's allowed origin", async () => {
    const res = await preflight(SHOP_ORIGIN).expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']).toContain('authorization');
  });

  it('gives another origin no CORS headers, preflight or not', async () => {
    const res = await preflight('https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const session = await t.http().post(`/v1/webchat/${channelId}/sessions`).set('Origin', 'https://evil.example');
    expect(session.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('admits an origin only on the channel that lists it', async () => {
    const other = await connectWebchat(owner, ['https://other.example']);
    expect((await preflight('https://other.example', other)).headers['access-control-allow-origin']).toBe(
      'https://other.example',
    );
    expect((await preflight('https://other.example')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('adds the allow-origin header to the actual requests of an allowed origin', async () => {
    const res = await t.http().post(`/v1/webchat/${channelId}/sessions`).set('Origin', SHOP_ORIGIN).expect(201);
    expect(res.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
  });

  it('keeps the web chat origins off the rest of the API', async () => {
    const res = await t
      .http()
      .options('/v1/auth/login')
      .set('Origin', SHOP_ORIGIN)
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
