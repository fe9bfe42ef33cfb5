import { startFakeGraphApi, type FakeGraphApi, type RecordedMessage } from '../fakes/fake-graph-api.js';
import { paystackTestKey, startFakePaystack, type FakePaystack } from '../fakes/fake-paystack.js';
import { openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { whatsappCustomer, type WhatsAppCustomer } from '../support/whatsapp-customer.js';

let t: TestApp;
let graph: FakeGraphApi;
let paystack: FakePaystack;
beforeAll(async () => {
  graph = await startFakeGraphApi();
  paystack = await startFakePaystack();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, PAYSTACK_BASE_URL: paystack.url });
});
afterAll(async () => {
  await t.close();
  await graph.close();
  await paystack.close();
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Not reached in time: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A shop taking card payments through its own Paystack account. */
async function payingShop(): Promise<Shop & { key: string }> {
  const shop = await openShop(t, graph);
  const key = paystackTestKey();
  paystack.registerKey(key);
  await t
    .http()
    .put(`/v1/tenants/${shop.owner.tenantId}/payment-settings`)
    .set(shop.owner.auth)
    .send({ methods: ['paystack'], paystackSecretKey: key })
    .expect(200);
  return { ...shop, key };
}

async function checkOut(customer: WhatsAppCustomer): Promise<RecordedMessage> {
  expect((await customer.say('menu')).body.type).toBe('interactive');
  expect((await customer.say('add 1 2')).text).toContain('₦5,000');
  expect((await customer.say('checkout')).text).toMatch(/What name/);
  expect((await customer.say('Ada Obi')).text).toMatch(/phone number/);
  expect((await customer.say('0803 123 4567')).text).toMatch(/deliver/i);
  expect((await customer.say('12 Marina Road, Lagos')).text).toMatch(/Total: ₦5,000/);
  return customer.say('confirm');
}

describe('an order from the first message to the doorstep, on WhatsApp', () => {
  it('is paid through Paystack, invoiced, confirmed, delivered, and the customer hears each step', async () => {
    const shop = await payingShop();
    const owner = shop.owner;
    const customer = whatsappCustomer(t, graph, shop);

    expect((await checkOut(customer)).text).toMatch(/Order #1001 is placed/);
    const [order] = (await t.http().get(`/v1/tenants/${owner.tenantId}/orders`).set(owner.auth).expect(200)).body
      .items as { id: string }[];

    // The Paystack link, initialized with our reference for this order's total.
    const [init] = await paystack.waitForInitialize(
      (record) => (record.body.metadata as { order_id?: string }).order_id === order.id,
    );
    expect(init.body).toMatchObject({ amount: 500_000, currency: 'NGN' });
    await customer.receive(new RegExp(init.authorizationUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

    // Paystack tells us the charge succeeded.
    const hook = paystack.chargeSuccess(shop.key, init.reference);
    await t
      .http()
      .post(`/v1/webhooks/paystack/${owner.tenantId}`)
      .set('content-type', 'application/json')
      .set('x-paystack-signature', hook.signature)
      .send(hook.body)
      .expect(200);

    const paid = await eventually(
      async () => (await t.http().get(`/v1/tenants/${owner.tenantId}/orders/${order.id}`).set(owner.auth)).body,
      (body) => body.paymentStatus === 'paid',
    );
    expect(paid.status).toBe('confirmed');
    const invoices = await eventually(
      async () => (await t.http().get(`/v1/tenants/${owner.tenantId}/invoices`).set(owner.auth)).body.items,
      (items: { status: string; number: string }[]) => items[0]?.status === 'paid',
    );
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      orderId: order.id,
      totalMinor: 500_000,
      number: expect.stringMatching(/^INV-\d{4}-000001$/),
    });

    // The confirmation comes with the invoice as a document the customer can open.
    const confirmation = await customer.receive(
      /received your payment of ₦5,000.00 for order #1001. Your order is confirmed/,
    );
    expect(confirmation.body.type).toBe('document');
    const document = confirmation.body.document as { link: string; filename: string };
    expect(document.filename).toBe(`${invoices[0].number}.pdf`);
    const pdf = await t.http().get(new URL(document.link).pathname).buffer(true).expect(200);
    expect(pdf.body.subarray(0, 4).toString()).toBe('%PDF');

    // Staff move the order along; the customer hears each step, once and in order.
    for (const to of ['processing', 'out_for_delivery', 'delivered']) {
      await t
        .http()
        .post(`/v1/tenants/${owner.tenantId}/orders/${order.id}/transitions`)
        .set(owner.auth)
        .send({ to })
        .expect(200);
    }
    await customer.receive(/delivered/i);
    const updates = customer
      .received()
      .map((message) => message.text ?? '')
      .filter((text) => /#1001/.test(text));
    const step = (pattern: RegExp) => updates.findIndex((text) => pattern.test(text));
    expect(step(/being prepared|preparing/i)).toBeGreaterThan(-1);
    expect(step(/out for delivery|on its way/i)).toBeGreaterThan(step(/being prepared|preparing/i));
    expect(step(/delivered/i)).toBeGreaterThan(step(/out for delivery|on its way/i));
    expect(updates.filter((text) => /delivered/i.test(text))).toHaveLength(1);
  });
});
