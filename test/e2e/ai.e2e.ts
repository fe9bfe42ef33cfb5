import { TenantDb } from '../../src/database/tenant-db.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai.js';
import { addMember } from '../support/fixtures.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const AI_TIMEOUT_MS = 1500;
let t: TestApp;
let graph: FakeGraphApi;
let openai: FakeOpenAi;
let shop: Shop;
beforeAll(async () => {
  graph = await startFakeGraphApi();
  openai = await startFakeOpenAi();
  t = await startTestApp({
    META_GRAPH_BASE_URL: graph.url,
    OPENAI_BASE_URL: `${openai.url}/v1`,
    OPENAI_API_KEY: 'sk-test',
    AI_TIMEOUT_MS: String(AI_TIMEOUT_MS),
  });
  shop = await openShop(t, graph);
  await t
    .http()
    .put(`/v1/tenants/${shop.owner.tenantId}/ai-settings`)
    .set(shop.owner.auth)
    .send({ enabled: true, instructions: 'We sell Nigerian food. Be brief.', handoffKeywords: ['refund'] })
    .expect(200);
});
afterAll(async () => {
  await t.close();
  await graph.close();
  await openai.close();
});
beforeEach(() => openai.reset());

const say = (from: string, text: string, to: Shop = shop) =>
  postWebhook(t, whatsappDelivery(to.whatsapp!.phoneNumberId, [{ from, text }])).expect(200);

/** A business of its own, so one test's failures cannot open another test's breaker. */
async function aiShop(): Promise<Shop> {
  const fresh = await openShop(t, graph);
  await t
    .http()
    .put(`/v1/tenants/${fresh.owner.tenantId}/ai-settings`)
    .set(fresh.owner.auth)
    .send({ enabled: true, instructions: '' })
    .expect(200);
  return fresh;
}
const replies = (customer: string, n: number, timeout = 10_000) =>
  graph.waitForCount(n, (m) => m.to.replace('+', '') === customer, timeout);
const sources = (customer: string) =>
  t.app.get(TenantDb).run({ tenantId: shop.owner.tenantId }, (tx) =>
    tx.query<{ source: string }[]>(
      `SELECT m.source FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN contacts ct ON ct.id = c.contact_id
        WHERE ct.external_ref = $1 AND m.direction = 'out' ORDER BY m.created_at, m.id`,
      [customer],
    ),
  );

describe('AI settings', () => {
  it('are read and written by owners and admins only, validated strictly', async () => {
    const got = await t.http().get(`/v1/tenants/${shop.owner.tenantId}/ai-settings`).set(shop.owner.auth).expect(200);
    expect(got.body).toMatchObject({ enabled: true, handoffKeywords: ['refund'] });
    const staff = await addMember(t, shop.owner, 'staff');
    await t.http().get(`/v1/tenants/${shop.owner.tenantId}/ai-settings`).set(staff.auth).expect(403);
    const tooLong = await t
      .http()
      .put(`/v1/tenants/${shop.owner.tenantId}/ai-settings`)
      .set(shop.owner.auth)
      .send({ enabled: true, instructions: 'x'.repeat(4001) })
      .expect(400);
    expect(tooLong.body.error.details.fields).toHaveProperty('instructions');
  });
});

describe('an AI turn', () => {
  it('acts on free text through the executor and shows the server’s own total', async () => {
    const customer = customerNumber();
    const jollof = shop.products[0];
    openai.script(
      { toolCalls: [{ name: 'add_to_cart', arguments: { product_id: jollof.id, quantity: 2 } }] },
      { content: 'Done! Two jollof for you.' },
    );
    await say(customer, "I'd like two jollof please");
    const [text, cart] = await replies(customer, 2);
    expect(text.text).toContain('Two jollof');
    expect(cart.text).toContain('2 × Jollof Rice');
    expect(cart.text).toContain('₦5,000.00');
    expect(await sources(customer)).toEqual([{ source: 'ai' }, { source: 'ai' }]);
    // The model saw this business's menu, with ids.
    expect(JSON.stringify(openai.requests[0].body)).toContain(jollof.id);
  });

  it('never lets the customer see a price or link the model made up', async () => {
    const customer = customerNumber();
    openai.script({ content: 'Jollof is only ₦100 today! Pay at https://evil.example/pay now.' });
    await say(customer, 'how much is jollof today?');
    const [reply] = await replies(customer, 1);
    expect(reply.text).not.toContain('₦100');
    expect(reply.text).not.toContain('evil.example');
  });

  it('refuses a tool call naming another tenant’s product, changing nothing', async () => {
    const other = await openShop(t, graph);
    const customer = customerNumber();
    openai.script({
      toolCalls: [{ name: 'add_to_cart', arguments: { product_id: other.products[0].id, quantity: 1 } }],
    });
    await say(customer, 'put their rice in my basket');
    const [reply] = await replies(customer, 1);
    expect(reply.text).toContain("didn't catch that");
    const carts = await t.app
      .get(TenantDb)
      .run({ tenantId: shop.owner.tenantId }, (tx) => tx.query(`SELECT * FROM cart_items`));
    expect(carts.filter((c: { product_id: string }) => c.product_id === other.products[0].id)).toHaveLength(0);
  });

  it.each([
    ['hangs past the timeout', 'hang' as const],
    ['answers 500', { status: 500 as const }],
    ['answers 429', { status: 429 as const }],
    ['returns malformed tool arguments', { toolCalls: [{ name: 'add_to_cart', arguments: '{"product_id": ' }] }],
  ])('falls back when the model %s, within the timeout and a second', async (_, step) => {
    const fresh = await aiShop();
    const customer = customerNumber();
    openai.script(step);
    const started = Date.now();
    await say(customer, 'what do you recommend for dinner', fresh);
    const [reply] = await replies(customer, 1);
    expect(Date.now() - started).toBeLessThan(AI_TIMEOUT_MS + 1000);
    expect(reply.text).toContain("didn't catch that");
    expect(openai.requestCount).toBe(1);
  });

  it('hands over on a handoff keyword without asking the model', async () => {
    const customer = customerNumber();
    await say(customer, 'I want a refund');
    const [reply] = await replies(customer, 1);
    expect(reply.text).toContain('a person from our team');
    expect(openai.requestCount).toBe(0);
  });

  it('opens the breaker after repeated failures, so later messages skip the AI', async () => {
    const fresh = await aiShop();
    const customer = customerNumber();
    openai.script({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    for (let i = 1; i <= 4; i++) {
      await say(customer, `tell me something nice ${i}`, fresh);
      await replies(customer, i);
    }
    const calls = openai.requestCount;
    expect(calls).toBe(3);
    await say(customer, 'and something else', fresh);
    await replies(customer, 5);
    expect(openai.requestCount).toBe(calls);
  });
});

describe('the AI report', () => {
  it('counts replies by path, AI turns by outcome and conversations that needed a person', async () => {
    const report = await t.http().get(`/v1/tenants/${shop.owner.tenantId}/ai-report`).set(shop.owner.auth).expect(200);
    expect(report.body.repliesByPath.ai).toBeGreaterThanOrEqual(3);
    expect(report.body.repliesByPath.fallback).toBeGreaterThanOrEqual(2);
    expect(report.body.aiTurns.answered).toBeGreaterThanOrEqual(2);
    expect(report.body.aiTurns.fallbackReasons).toMatchObject({ malformed_tool_call: 1 });
    expect(report.body.conversations.escalated).toBe(1);
    expect(report.body.conversations.active).toBeGreaterThanOrEqual(4);
    expect(report.body.conversations.shareWithoutHuman).toBeCloseTo(
      (report.body.conversations.active - 1) / report.body.conversations.active,
    );
    await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/ai-report?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`)
      .set(shop.owner.auth)
      .expect(400);
  });
});

describe('checkout through the AI', () => {
  it('records details the customer gave, shows the summary, and places the order only after their yes', async () => {
    const fresh = await aiShop();
    const customer = customerNumber();
    const jollof = fresh.products[0];
    const orders = async () =>
      (await t.http().get(`/v1/tenants/${fresh.owner.tenantId}/orders`).set(fresh.owner.auth).expect(200)).body.items;
    openai.script(
      { toolCalls: [{ name: 'add_to_cart', arguments: { product_id: jollof.id, quantity: 1 } }] },
      { content: 'Added!' },
    );
    await say(customer, 'one jollof please', fresh);
    await replies(customer, 2);

    // Details and a confirmation in one breath: the order waits for the customer's yes.
    openai.script(
      {
        toolCalls: [
          {
            name: 'set_delivery_details',
            arguments: { name: 'Ada Obi', phone: '0803 123 4567', address: '12 Marina Road, Lagos' },
          },
          { name: 'confirm_order', arguments: {} },
        ],
      },
      { content: 'Please check your order below.' },
    );
    await say(customer, "I'm Ada Obi, 0803 123 4567, 12 Marina Road Lagos. Place it", fresh);
    const [, , , summary] = await replies(customer, 4);
    expect(summary.text).toContain('Please check your order');
    expect(summary.text).toContain('+2348031234567');
    expect(await orders()).toHaveLength(0);
    const refusal = JSON.stringify(openai.requests.at(-1)!.body);
    expect(refusal).toContain('has not seen the order summary');

    openai.script({ toolCalls: [{ name: 'confirm_order', arguments: {} }] }, { content: 'Thank you!' });
    await say(customer, 'yes that is right, go ahead', fresh);
    const placed = await graph.waitFor((m) => m.to.replace('+', '') === customer && /is placed/.test(m.text ?? ''));
    expect(placed[0].text).toMatch(/Order #1001 is placed/);
    expect(await orders()).toHaveLength(1);
  });
});
