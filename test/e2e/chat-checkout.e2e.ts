import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { asOwner } from '../support/as-owner.js';
import { openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { whatsappCustomer, type WhatsAppCustomer } from '../support/whatsapp-customer.js';

let t: TestApp;
let graph: FakeGraphApi;
beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, MAINTENANCE_INTERVAL_MS: '300' });
});
afterAll(async () => {
  await t.close();
  await graph.close();
});

// With no payment method set up yet, the customer is told the business will send the details.
const PAYMENT_DETAILS = /will send you the payment details/;

const ordersOf = async (shop: Shop) =>
  (await t.http().get(`/v1/tenants/${shop.owner.tenantId}/orders`).set(shop.owner.auth).expect(200)).body.items as {
    id: string;
    number: number;
    status: string;
    totalMinor: number;
    delivery: Record<string, unknown>;
  }[];

const setStock = (shop: Shop, productId: string, stock: number) =>
  t
    .http()
    .patch(`/v1/tenants/${shop.owner.tenantId}/products/${productId}`)
    .set(shop.owner.auth)
    .send({ stock })
    .expect(200);

/** Fills a cart and answers every checkout question, up to the summary. */
async function toSummary(customer: WhatsAppCustomer, item = 'add 1 2') {
  await customer.say(item);
  expect((await customer.say('checkout')).text).toMatch(/What name/);
  expect((await customer.say('Ada Obi')).text).toMatch(/phone number/);
  expect((await customer.say('0803 123 4567')).text).toMatch(/deliver/i);
  return customer.say('12 Marina Road, Lagos Island');
}

describe('checkout in chat', () => {
  it('asks for each missing detail, checks it, shows the summary and places one order', async () => {
    const shop = await openShop(t, graph);
    const customer = whatsappCustomer(t, graph, shop);
    await customer.say('menu');
    expect((await customer.say('add 1 2')).text).toContain('5,000');
    expect((await customer.say('checkout')).text).toMatch(/What name/);
    const question = await customer.say('How long does delivery take?');
    expect(question.text).toMatch(/can't answer that here[\s\S]*What name/);
    expect((await customer.say('Ada Obi')).text).toMatch(/phone number/);
    expect((await customer.say('12')).text).toMatch(/doesn't look like a phone number/);
    expect((await customer.say('0803 123 4567')).text).toMatch(/deliver/i);
    expect((await customer.say('abc')).text).toMatch(/full delivery address/);
    const summary = await customer.say('12 Marina Road, Lagos Island');
    expect(summary.text).toContain('2 × Jollof Rice');
    expect(summary.text).toContain('Total: ₦5,000');
    expect(summary.text).toContain('+2348031234567');
    expect(summary.text).toContain('12 Marina Road, Lagos Island');

    const placed = await customer.say('confirm');
    expect(placed.text).toMatch(/Order #1001 is placed/);
    await customer.receive(PAYMENT_DETAILS);
    const [order] = await ordersOf(shop);
    expect(order).toMatchObject({
      number: 1001,
      status: 'pending_confirmation',
      totalMinor: 500_000,
      delivery: { name: 'Ada Obi', phone: '+2348031234567', address: '12 Marina Road, Lagos Island' },
    });
    expect((await customer.say('confirm')).text).toMatch(/Order #1001 is already placed/);
    expect(await ordersOf(shop)).toHaveLength(1);
  });

  it('offers the WhatsApp number with one tap, takes pickup, and keeps the answers for the next checkout', async () => {
    const shop = await openShop(t, graph);
    const customer = whatsappCustomer(t, graph, shop);
    await customer.say('add 2');
    await customer.say('checkout');
    const phoneQuestion = await customer.say('Ada');
    const button = (
      phoneQuestion.body.interactive as { action: { buttons: { reply: { id: string; title: string } }[] } }
    ).action.buttons[0].reply;
    expect(button.title).toBe(`+${customer.number}`);
    await customer.tap(button.id, button.title);
    const summary = await customer.say('pickup');
    expect(summary.text).toMatch(/Pickup/);
    expect((await customer.say('confirm')).text).toMatch(/Order #1001 is placed/);
    await customer.receive(PAYMENT_DETAILS);

    await customer.say('add 3');
    const again = await customer.say('checkout');
    expect(again.text).toMatch(/Please check your order/);
    expect((await customer.say('change')).text).toMatch(/What name/);
  });

  it('places one order when two confirms arrive at once', async () => {
    const shop = await openShop(t, graph);
    const customer = whatsappCustomer(t, graph, shop);
    await toSummary(customer);
    const before = customer.received().length;
    await Promise.all([customer.send('confirm'), customer.send('confirm')]);
    await customer.receive(/already placed/);
    const answers = customer
      .received()
      .slice(before)
      .map((m) => m.text);
    expect(answers.filter((text) => /is placed/.test(text ?? ''))).toHaveLength(1);
    expect(await ordersOf(shop)).toHaveLength(1);
  });

  it('sells the last one in stock to one of two customers racing for it and tells the other', async () => {
    const shop = await openShop(t, graph);
    const product = shop.products[0];
    await setStock(shop, product.id, 1);
    const [first, second] = [whatsappCustomer(t, graph, shop), whatsappCustomer(t, graph, shop)];
    await toSummary(first, 'add 1');
    await toSummary(second, 'add 1');
    const [a, b] = await Promise.all([first.say('confirm'), second.say('confirm')]);
    const texts = [a.text, b.text];
    expect(texts.filter((text) => /is placed/.test(text ?? ''))).toHaveLength(1);
    expect(texts.filter((text) => /Jollof Rice just sold out/.test(text ?? ''))).toHaveLength(1);
    expect(await ordersOf(shop)).toHaveLength(1);
    const stock = await t.http().get(`/v1/tenants/${shop.owner.tenantId}/products/${product.id}`).set(shop.owner.auth);
    expect(stock.body.stock).toBe(0);
  });

  it('answers about the customer’s own orders only, and cancels before confirmation', async () => {
    const shop = await openShop(t, graph);
    const customer = whatsappCustomer(t, graph, shop);
    const stranger = whatsappCustomer(t, graph, shop);
    await toSummary(customer);
    await customer.say('confirm');
    await customer.receive(PAYMENT_DETAILS);

    expect((await customer.say('cancel')).text).toMatch(
      /Order #1001 is still open. To cancel it, reply \*cancel order 1001\*/,
    );
    expect((await customer.say('status 1001')).text).toMatch(/Order #1001: \*Awaiting confirmation\*/);
    expect((await customer.say('orders')).text).toMatch(/#1001 — Awaiting confirmation/);
    expect((await stranger.say('status 1001')).text).toMatch(/couldn't find order #1001/);
    expect((await stranger.say('cancel order 1001')).text).toMatch(/couldn't find order #1001/);

    expect((await customer.say('cancel order 1001')).text).toMatch(/Order #1001 is cancelled/);
    expect((await customer.say('cancel order #1001')).text).toMatch(/can't be cancelled here/);
    const [order] = await ordersOf(shop);
    expect(order.status).toBe('cancelled');
  });

  it('cancels an unpaid checkout once it expires and gives its stock back', async () => {
    const shop = await openShop(t, graph);
    const product = shop.products[0];
    await setStock(shop, product.id, 5);
    const customer = whatsappCustomer(t, graph, shop);
    await toSummary(customer);
    await customer.say('confirm');
    const [order] = await ordersOf(shop);
    const productStock = async () =>
      (await t.http().get(`/v1/tenants/${shop.owner.tenantId}/products/${product.id}`).set(shop.owner.auth)).body
        .stock as number;
    expect(await productStock()).toBe(3);

    await asOwner(t, `UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = $1`, [order.id]);
    await customer.receive(/cancelled because the payment did not arrive in time/);
    const [expired] = await ordersOf(shop);
    expect(expired.status).toBe('cancelled');
    expect(await productStock()).toBe(5);
    const detail = await t.http().get(`/v1/tenants/${shop.owner.tenantId}/orders/${order.id}`).set(shop.owner.auth);
    expect(detail.body.transitions.at(-1)).toMatchObject({ to: 'cancelled', actorType: 'system' });
    expect((await customer.say('confirm')).text).toMatch(/Order #1001 is cancelled/);
    expect((await customer.say('pay')).text).toMatch(/no order waiting for payment/);
  });
});
