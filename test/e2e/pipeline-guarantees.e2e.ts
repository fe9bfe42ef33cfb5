import { TenantDb } from '../../src/database/tenant-db.js';
import { graphFailures, startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { instagramDelivery, postWebhook, sign, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let graph: FakeGraphApi;
let shop: Shop;
beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, DELIVERY_RETRY_BASE_MS: '50' });
  shop = await openShop(t, graph, { whatsapp: true, instagram: true });
});
afterAll(async () => {
  await t.close();
  await graph.close();
});

const phone = () => shop.whatsapp!.phoneNumberId;
const forCustomer = (customer: string) => (m: { to: string }) => m.to.replace('+', '') === customer;
const inTenant = <T>(tenantId: string, sql: string, params: unknown[] = []) =>
  t.app.get(TenantDb).run({ tenantId }, (tx) => tx.query<T>(sql, params));
const settle = (ms = 700) => new Promise((r) => setTimeout(r, ms));

describe('Meta webhook intake', () => {
  it('answers the verification handshake only with the verify token', async () => {
    const ok = await t
      .http()
      .get('/v1/webhooks/meta')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': t.config.meta.verifyToken, 'hub.challenge': '1158201444' })
      .expect(200);
    expect(ok.text).toBe('1158201444');
    await t
      .http()
      .get('/v1/webhooks/meta')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': 'x' })
      .expect(403);
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const customer = customerNumber();
    const body = JSON.stringify(whatsappDelivery(phone(), [{ from: customer, text: 'hi' }]));
    await t
      .http()
      .post('/v1/webhooks/meta')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', sign(body, 'not-the-secret'))
      .send(body)
      .expect(401);
    await t.http().post('/v1/webhooks/meta').set('content-type', 'application/json').send(body).expect(401);
    // Valid signature over different bytes (re-serialised JSON) is also refused.
    await t
      .http()
      .post('/v1/webhooks/meta')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', sign(body, t.config.meta.appSecret))
      .send(`${body} `)
      .expect(401);
    await settle();
    const rows = await inTenant<unknown[]>(
      shop.owner.tenantId,
      `SELECT 1 FROM inbox_messages WHERE customer_ref = $1 UNION ALL SELECT 1 FROM contacts WHERE external_ref = $1`,
      [customer],
    );
    expect(rows).toHaveLength(0);
    expect(graph.sentTo(customer)).toHaveLength(0);
  });

  it('acknowledges deliveries for unknown accounts without storing them', async () => {
    await postWebhook(t, whatsappDelivery('999999999', [{ from: customerNumber(), text: 'hi' }])).expect(200);
  });

  it('accepts a 3 MB batch on the webhook route while the API keeps 1 MiB', async () => {
    const customer = customerNumber();
    const padding = Array.from({ length: 300 }, (_, i) => ({
      id: `skip-${i}`,
      status: 'unknown-status',
      timestamp: '1',
      recipient_id: 'x'.repeat(10_000),
    }));
    const delivery = whatsappDelivery(phone(), [{ from: customer, text: 'hi' }]);
    (delivery.entry[0].changes[0].value as Record<string, unknown>).statuses = padding;
    expect(JSON.stringify(delivery).length).toBeGreaterThan(3_000_000);
    await postWebhook(t, delivery).expect(200);
    await graph.waitForCount(1, forCustomer(customer), 10_000);
  });

  it('stores a delivery posted 5 times once, and answers it once', async () => {
    const customer = customerNumber();
    const delivery = whatsappDelivery(phone(), [{ from: customer, text: 'hi' }]);
    await Promise.all(Array.from({ length: 5 }, () => postWebhook(t, delivery).expect(200)));
    await graph.waitForCount(1, forCustomer(customer), 10_000);
    await settle();
    expect(graph.sentTo(customer)).toHaveLength(1);
  });

  it('routes a batch of 20 messages for 3 tenants to each tenant’s own customers', async () => {
    const shops = [shop, await openShop(t, graph), await openShop(t, graph)];
    const customers = shops.map(() => Array.from({ length: 7 }, customerNumber));
    const entries = shops.map(
      (s, i) =>
        whatsappDelivery(
          s.whatsapp!.phoneNumberId,
          customers[i].slice(0, i === 2 ? 6 : 7).map((from) => ({ from, text: 'cart' })),
        ).entry[0],
    );
    await postWebhook(t, { object: 'whatsapp_business_account', entry: entries }).expect(200);
    for (const [i, s] of shops.entries()) {
      for (const customer of customers[i].slice(0, i === 2 ? 6 : 7)) {
        const [reply] = await graph.waitForCount(1, forCustomer(customer), 10_000);
        expect(reply.accountId).toBe(s.whatsapp!.phoneNumberId);
        expect(reply.accessToken).toBe(s.whatsapp!.accessToken);
      }
    }
  });
});

describe('ordering and isolation under concurrency', () => {
  it('answers 50 messages of one customer, posted concurrently, in the order they were sent', async () => {
    const customer = customerNumber();
    const deliveries = Array.from({ length: 50 }, () => whatsappDelivery(phone(), [{ from: customer, text: 'add 1' }]));
    await Promise.all(deliveries.map((d) => postWebhook(t, d).expect(200)));
    const replies = await graph.waitForCount(50, forCustomer(customer), 30_000);
    const quantities = replies.map((r) => Number(/(\d+) × Jollof Rice —/.exec(r.text ?? '')?.[1]));
    expect(quantities).toEqual(Array.from({ length: 50 }, (_, i) => Math.min(99, i + 1)));
  });

  it('never sends a reply to the wrong customer across 200 concurrent customers', async () => {
    const customers = Array.from({ length: 200 }, (_, i) => ({
      number: customerNumber(),
      quantity: (i % 9) + 1,
      item: (i % 3) + 1,
    }));
    await Promise.all(
      customers.map((c) =>
        postWebhook(t, whatsappDelivery(phone(), [{ from: c.number, text: `add ${c.item} ${c.quantity}` }])).expect(
          200,
        ),
      ),
    );
    for (const c of customers) {
      const [reply] = await graph.waitForCount(1, forCustomer(c.number), 30_000);
      const product = shop.products[c.item - 1];
      expect(reply.text).toContain(`${c.quantity} × ${product.name}`);
    }
  });
});

describe('delivery', () => {
  it('retries a reply through three 500s and delivers it once', async () => {
    const customer = customerNumber();
    graph.failNext(3, graphFailures.serverError, (req) => req.to?.replace('+', '') === customer);
    await postWebhook(t, whatsappDelivery(phone(), [{ from: customer, text: 'hi' }])).expect(200);
    const [reply] = await graph.waitForCount(1, forCustomer(customer), 15_000);
    await settle();
    expect(graph.sentTo(customer)).toHaveLength(1);
    const [message] = await inTenant<{ delivery_status: string; provider_message_id: string }[]>(
      shop.owner.tenantId,
      `SELECT delivery_status, provider_message_id FROM messages WHERE direction = 'out' AND provider_message_id = $1`,
      [reply.providerMessageId],
    );
    expect(message.delivery_status).toBe('sent');
  });

  it('marks a reply failed with the provider’s code on the outside-window error, without retrying', async () => {
    const customer = customerNumber();
    graph.failNext(1, graphFailures.outsideWindow, (req) => req.to?.replace('+', '') === customer);
    await postWebhook(t, whatsappDelivery(phone(), [{ from: customer, text: 'hi' }])).expect(200);
    const outcome = () =>
      inTenant<{ delivery_status: string; error_code: string; status: string; attempts: number }[]>(
        shop.owner.tenantId,
        `SELECT m.delivery_status, m.error_code, o.status, o.attempts FROM messages m
           JOIN outbox_messages o ON o.message_id = m.id
           JOIN conversations c ON c.id = m.conversation_id JOIN contacts ct ON ct.id = c.contact_id
          WHERE ct.external_ref = $1 AND m.direction = 'out'`,
        [customer],
      );
    let rows = await outcome();
    for (let i = 0; i < 50 && rows[0]?.delivery_status !== 'failed'; i++) {
      await settle(200);
      rows = await outcome();
    }
    // Well past any retry delay, it was still tried exactly once.
    await settle(1000);
    expect(await outcome()).toEqual([
      { delivery_status: 'failed', error_code: 'meta:131047', status: 'failed', attempts: 1 },
    ]);
    expect(graph.sentTo(customer)).toHaveLength(0);
  });

  it('applies delivery statuses from Meta without ever moving one backwards', async () => {
    const customer = customerNumber();
    await postWebhook(t, whatsappDelivery(phone(), [{ from: customer, text: 'hi' }])).expect(200);
    const [reply] = await graph.waitForCount(1, forCustomer(customer), 10_000);
    await settle(300);
    const status = (s: string, ts: number) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'W',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { phone_number_id: phone() },
                statuses: [{ id: reply.providerMessageId, status: s, timestamp: String(ts), recipient_id: customer }],
              },
            },
          ],
        },
      ],
    });
    const now = Math.floor(Date.now() / 1000);
    await postWebhook(t, status('read', now + 2)).expect(200);
    await postWebhook(t, status('delivered', now + 1)).expect(200);
    const [message] = await inTenant<{ delivery_status: string }[]>(
      shop.owner.tenantId,
      `SELECT delivery_status FROM messages WHERE provider_message_id = $1`,
      [reply.providerMessageId],
    );
    expect(message.delivery_status).toBe('read');
  });
});

describe('Instagram', () => {
  it('runs the same journey through Instagram with quick replies, ignoring echoes', async () => {
    const customer = `IGSID${Date.now()}`;
    const account = shop.instagram!.accountId;
    const say = (text: string) => postWebhook(t, instagramDelivery(account, [{ from: customer, text }])).expect(200);
    await say('hi');
    const [greeting] = await graph.waitForCount(1, forCustomer(customer), 10_000);
    expect(greeting.accountId).toBe(account);
    expect(greeting.body).toMatchObject({ recipient: { id: customer }, messaging_type: 'RESPONSE' });
    await say('add 2 3');
    await graph.waitForCount(2, forCustomer(customer), 10_000);
    const echo = instagramDelivery(account, [{ from: account, text: 'echo' }]);
    (echo.entry[0].messaging[0].message as Record<string, unknown>).is_echo = true;
    await postWebhook(t, echo).expect(200);
    await say('cart');
    const replies = await graph.waitForCount(3, forCustomer(customer), 10_000);
    expect(replies[2].text).toContain('₦2,400.00');
    await settle();
    expect(graph.sentTo(account)).toHaveLength(0);
  });
});

describe('a message that cannot be processed', () => {
  it('is retried, then set aside, so the same customer’s next message is still answered', async () => {
    const customer = customerNumber();
    // A row no engine version understands, as a bug or a bad deploy could leave behind.
    await inTenant(
      shop.owner.tenantId,
      `INSERT INTO inbox_messages (tenant_id, channel_id, provider_message_id, customer_ref, content, sent_at)
       VALUES ($1, $2, 'poison-1', $3, '{"kind":"from-the-future"}', now() - interval '1 minute')`,
      [shop.owner.tenantId, shop.whatsapp!.channelId, customer],
    );
    await postWebhook(t, whatsappDelivery(phone(), [{ from: customer, text: 'hi' }])).expect(200);
    const [reply] = await graph.waitForCount(1, forCustomer(customer), 45_000);
    expect(reply.text).toContain('Welcome to');
    const [poison] = await inTenant<
      { attempts: number; failed_at: Date | null; processed_at: Date | null; last_error: string }[]
    >(
      shop.owner.tenantId,
      `SELECT attempts, failed_at, processed_at, last_error FROM inbox_messages WHERE provider_message_id = 'poison-1'`,
    );
    expect(poison).toMatchObject({ attempts: 5, failed_at: expect.any(Date), processed_at: expect.any(Date) });
  }, 60_000);
});
