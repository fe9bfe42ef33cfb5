import { randomUUID } from 'node:crypto';
import { TenantDb } from '../../src/database/tenant-db.js';
import { CartService } from '../../src/modules/commerce/cart.service.js';
import type { OrderDetailView } from '../../src/modules/commerce/orders/order.views.js';
import { OrdersService } from '../../src/modules/commerce/orders/orders.service.js';
import { PaymentLinksService } from '../../src/modules/payments/requests/payment-links.service.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import {
  paystackTestKey,
  startFakePaystack,
  type FakePaystack,
  type InitializeRecord,
  type SignedWebhook,
} from '../fakes/fake-paystack.js';
import { startSmtpSink, type SmtpSink } from '../fakes/smtp-sink.js';
import { asOwner } from '../support/as-owner.js';
import { addMember, type Account } from '../support/fixtures.js';
import { openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { whatsappCustomer, type WhatsAppCustomer } from '../support/whatsapp-customer.js';

let t: TestApp;
let graph: FakeGraphApi;
let paystack: FakePaystack;
let sink: SmtpSink;

beforeAll(async () => {
  graph = await startFakeGraphApi();
  paystack = await startFakePaystack();
  sink = await startSmtpSink();
  // Maintenance every 300 ms: checkout expiry and the payments sweeper run on their own, as in production.
  t = await startTestApp({
    META_GRAPH_BASE_URL: graph.url,
    PAYSTACK_BASE_URL: paystack.url,
    SMTP_URL: sink.url,
    MAINTENANCE_INTERVAL_MS: '300',
  });
});
afterAll(async () => {
  await t.close();
  await graph.close();
  await paystack.close();
  await sink.close();
});

const BANK = 'Pay to GTBank 0123456789, Ada Foods Ltd.';
const DELIVERY = { name: 'Ada Obi', phone: '+2348012345678', address: '12 Marina, Lagos' };

interface PayingShop extends Shop {
  key: string;
}

interface Placed {
  order: OrderDetailView;
  customer: WhatsAppCustomer;
}

/** A WhatsApp shop whose payment settings offer `methods`, with its own Paystack key. */
async function payingShop(
  methods: ('paystack' | 'bank_transfer')[],
  options: { registerKey?: boolean } = {},
): Promise<PayingShop> {
  const shop = await openShop(t, graph);
  const key = paystackTestKey();
  if (options.registerKey ?? true) paystack.registerKey(key);
  if (methods.length > 0) {
    await putSettings(shop.owner, {
      methods,
      ...(methods.includes('paystack') ? { paystackSecretKey: key } : {}),
      ...(methods.includes('bank_transfer') ? { bankTransferInstructions: BANK } : {}),
    }).expect(200);
  }
  return { ...shop, key };
}

function putSettings(account: Account, body: Record<string, unknown>, tenantId = account.tenantId) {
  return t.http().put(`/v1/tenants/${tenantId}/payment-settings`).set(account.auth).send(body);
}

/** A customer who wrote to the shop first (so replies can reach them) places an order for 2 × Jollof Rice. */
async function placeOrder(shop: Shop, options: { cancelAtOnce?: boolean } = {}): Promise<Placed> {
  const customer = whatsappCustomer(t, graph, shop);
  await customer.send('hi');
  const scope = { tenantId: shop.owner.tenantId };
  const buyer = await eventually(
    () =>
      t.app.get(TenantDb).run(scope, async (tx) => {
        const [row] = await tx.query<{ conversationId: string; contactId: string }[]>(
          `SELECT c.id AS "conversationId", k.id AS "contactId" FROM conversations c
             JOIN contacts k ON k.tenant_id = c.tenant_id AND k.id = c.contact_id
            WHERE c.tenant_id = $1 AND k.external_ref = $2`,
          [scope.tenantId, customer.number],
        );
        return row;
      }),
    (row) => row !== undefined,
  );
  const order = await t.app.get(TenantDb).run(scope, async (tx) => {
    await t.app.get(CartService).add(tx, scope, buyer.conversationId, shop.products[0].id, 2);
    const placed = await t.app.get(OrdersService).createFromCart(tx, scope, { ...buyer, delivery: DELIVERY });
    if (!options.cancelAtOnce) return placed.order;
    return t.app.get(OrdersService).transition(tx, scope, placed.order.id, 'cancelled', { type: 'customer' });
  });
  return { order, customer };
}

/**
 * The order's Paystack link once it is stored: a customer can pay only after the link was
 * sent, in the transaction that stored it, so a webhook never comes earlier.
 */
async function linkFor(order: OrderDetailView): Promise<InitializeRecord> {
  const [record] = await paystack.waitForInitialize(
    (candidate) => (candidate.body.metadata as { order_id?: string }).order_id === order.id,
  );
  const tenantId = (record.body.metadata as { tenant_id: string }).tenant_id;
  await eventually(
    () =>
      t.app
        .get(TenantDb)
        .run({ tenantId }, (tx) =>
          tx.query(`SELECT 1 FROM payment_attempts WHERE tenant_id = $1 AND reference = $2`, [
            tenantId,
            record.reference,
          ]),
        ),
    (rows) => rows.length > 0,
  );
  return record;
}

function postHook(tenantId: string, hook: SignedWebhook) {
  return t
    .http()
    .post(`/v1/webhooks/paystack/${tenantId}`)
    .set('content-type', 'application/json')
    .set('x-paystack-signature', hook.signature)
    .send(hook.body);
}

/** Paystack's `refund.processed` for `amount` (minor units) of the charge `reference`. */
function refundHook(key: string, reference: string, amount: number): SignedWebhook {
  return paystack.signedEvent(key, {
    event: 'refund.processed',
    data: {
      id: Math.floor(Math.random() * 1e9),
      status: 'processed',
      transaction_reference: reference,
      amount,
      currency: 'NGN',
    },
  });
}

async function orderOf(account: Account, orderId: string): Promise<OrderDetailView> {
  const res = await t.http().get(`/v1/tenants/${account.tenantId}/orders/${orderId}`).set(account.auth).expect(200);
  return res.body as OrderDetailView;
}

async function paymentsOf(account: Account, orderId: string) {
  const res = await t
    .http()
    .get(`/v1/tenants/${account.tenantId}/orders/${orderId}/payments`)
    .set(account.auth)
    .expect(200);
  return res.body.items as { status: string; provider: string; amountMinor: number; reviewReasons: string[] }[];
}

interface EventRow {
  event: string;
  status: string;
  outcome: string | null;
  lastError: string | null;
  payload: Record<string, unknown>;
}

/** What became of the tenant's stored Paystack events (rows a test may read, not change), oldest first. */
function eventRows(tenantId: string): Promise<EventRow[]> {
  return t.app.get(TenantDb).run({ tenantId }, (tx) =>
    tx.query<EventRow[]>(
      `SELECT event, status, outcome, last_error AS "lastError", payload FROM payment_events
          WHERE tenant_id = $1 ORDER BY received_at, id`,
      [tenantId],
    ),
  );
}

async function eventsOf(tenantId: string) {
  return (await eventRows(tenantId)).map(({ status, outcome }) => ({ status, outcome }));
}

/** The first stored event of `name` once it is no longer pending. */
async function settled(tenantId: string, name = 'charge.success'): Promise<EventRow> {
  const rows = await eventually(
    () => eventRows(tenantId),
    (all) => all.some((row) => row.event === name && row.status !== 'pending'),
  );
  return rows.find((row) => row.event === name && row.status !== 'pending')!;
}

/** Waits until a try left the tenant's charge event pending for `reason`. */
function leftPending(tenantId: string, reason: string) {
  return eventually(
    () => eventRows(tenantId),
    (rows) => rows.some((row) => row.status === 'pending' && row.lastError === reason),
  );
}

function staffMail(shop: Shop, order: OrderDetailView, text: string) {
  return sink
    .waitFor(
      1,
      (m) => m.subject.includes(`order #${order.number}`) && m.to.includes(shop.owner.email) && m.text.includes(text),
    )
    .then(([mail]) => mail);
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met in time; last value: ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const received = /received your payment/;

describe('starting a payment', () => {
  it('creates a Paystack link for a new order, sends it to the customer on WhatsApp and marks the order pending', async () => {
    const shop = await payingShop(['paystack']);
    const { order, customer } = await placeOrder(shop);

    const link = await linkFor(order);
    expect(link.secretKey).toBe(shop.key);
    expect(link.reference).toMatch(/^hwk-\d+-[0-9a-f]{12}$/);
    expect(link.body).toEqual({
      email: `order-${order.number}-${order.id.slice(0, 8)}@${t.config.paystack.customerEmailDomain}`,
      amount: 500_000,
      currency: 'NGN',
      reference: link.reference,
      metadata: { tenant_id: shop.owner.tenantId, order_id: order.id, order_number: order.number },
    });
    const message = await customer.receive(new RegExp(escape(link.authorizationUrl)));
    expect(message.text).not.toMatch(/bank transfer/i);
    await sleep(500);
    expect(customer.received().filter((m) => m.text === message.text)).toHaveLength(1);
    await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'pending',
    );
  });

  it('sends bank-transfer instructions alongside the link when both are offered, and re-sends the same link on request', async () => {
    const shop = await payingShop(['paystack', 'bank_transfer']);
    const { order, customer } = await placeOrder(shop);
    const link = await linkFor(order);
    const first = await customer.receive(new RegExp(escape(link.authorizationUrl)));
    expect(first.text).toContain(BANK);

    // The customer types `pay`: the same link again, not a second Paystack transaction.
    const scope = { tenantId: shop.owner.tenantId };
    await t.app.get(TenantDb).run(scope, (tx) => t.app.get(OrdersService).requestPayment(tx, scope, order));
    const links = new RegExp(escape(link.authorizationUrl));
    await eventually(
      async () => customer.received().filter((m) => links.test(m.text ?? '')).length,
      (n) => n === 2,
    );
    expect(paystack.initializedFor((r) => r.secretKey === shop.key)).toHaveLength(1);
  });

  it('retries when Paystack is briefly down', async () => {
    const shop = await payingShop(['paystack']);
    paystack.failNext(
      1,
      { status: 503, body: { status: false, message: 'Service unavailable' } },
      (r) => r.secretKey === shop.key,
    );
    const { order, customer } = await placeOrder(shop);

    const link = await linkFor(order);
    await customer.receive(new RegExp(escape(link.authorizationUrl)));
  });

  it('keeps a request open through a Paystack outage past its job’s retries, and falls back only after hours', async () => {
    const shop = await payingShop(['paystack', 'bank_transfer']);
    paystack.failNext(
      1000,
      { status: 503, body: { status: false, message: 'Service unavailable' } },
      (r) => r.secretKey === shop.key,
    );
    const { order, customer } = await placeOrder(shop);
    const scope = { tenantId: shop.owner.tenantId };
    const requestOf = () =>
      t.app
        .get(TenantDb)
        .run(scope, (tx) =>
          tx.query<{ id: string; outcome: string | null; failure: string | null; attemptedAt: Date | null }[]>(
            `SELECT id, outcome, failure, attempted_at AS "attemptedAt" FROM payment_requests
              WHERE tenant_id = $1 AND order_id = $2`,
            [scope.tenantId, order.id],
          ),
        )
        .then(([row]) => row);
    const request = await eventually(requestOf, (row) => Boolean(row?.attemptedAt));
    const job = { tenantId: scope.tenantId, requestId: request.id };
    const links = t.app.get(PaymentLinksService);

    // The job's last attempt, while Paystack is down: the request stays open for the sweeper.
    await expect(links.send(job, true)).rejects.toMatchObject({ code: 'http:503' });
    expect(await requestOf()).toMatchObject({ outcome: null });
    expect(customer.received().filter((m) => (m.text ?? '').includes(BANK))).toHaveLength(0);

    // Hours later, still down: the customer gets the bank-transfer instructions, staff are told.
    await asOwner(t, `UPDATE payment_requests SET created_at = now() - interval '7 hours' WHERE id = $1`, [request.id]);
    await links.send(job, true);
    expect(await requestOf()).toMatchObject({ outcome: 'bank_transfer', failure: 'http:503' });
    await customer.receive(new RegExp(escape(BANK)));
    await staffMail(shop, order, 'Paystack could not be reached for hours (http:503)');
  });

  it('falls back to bank transfer when Paystack refuses the key, and tells staff', async () => {
    const shop = await payingShop(['paystack', 'bank_transfer'], { registerKey: false });
    const { order, customer } = await placeOrder(shop);

    const message = await customer.receive(new RegExp(escape(BANK)));
    expect(message.text).not.toMatch(/checkout\.paystack/);
    const [mail] = await sink.waitFor(
      1,
      (m) => m.subject.includes(`order #${order.number}`) && m.to.includes(shop.owner.email),
    );
    expect(mail.text).toContain('Paystack could not create a payment link (http:401)');
    expect(mail.text).not.toContain(shop.key);
    expect((await orderOf(shop.owner, order.id)).paymentStatus).toBe('unpaid');
  });

  it('tells staff and the customer when no way to pay is set up', async () => {
    const shop = await payingShop([]);
    const { order, customer } = await placeOrder(shop);

    await customer.receive(/will send you the payment details/);
    const [mail] = await sink.waitFor(
      1,
      (m) => m.subject.includes(`order #${order.number}`) && m.to.includes(shop.owner.email),
    );
    expect(mail.text).toContain('no payment method is set up');
  });

  it('sends nothing for an order cancelled before its link went out', async () => {
    const shop = await payingShop(['paystack', 'bank_transfer']);
    const { order, customer } = await placeOrder(shop, { cancelAtOnce: true });
    const scope = { tenantId: shop.owner.tenantId };

    const [request] = await eventually(
      () =>
        t.app
          .get(TenantDb)
          .run(scope, (tx) =>
            tx.query<{ outcome: string | null }[]>(
              `SELECT outcome FROM payment_requests WHERE tenant_id = $1 AND order_id = $2`,
              [scope.tenantId, order.id],
            ),
          ),
      (rows) => typeof rows[0]?.outcome === 'string',
    );
    expect(request.outcome).toBe('skipped');
    expect(paystack.initializedFor((r) => r.secretKey === shop.key)).toHaveLength(0);
    expect(customer.received().filter((m) => (m.text ?? '').includes(BANK))).toHaveLength(0);
  });
});

describe('the Paystack webhook', () => {
  it('applies one signed charge.success delivered five times at once: one transaction, paid, confirmed, invoiced, one message', async () => {
    const shop = await payingShop(['paystack']);
    const { order, customer } = await placeOrder(shop);
    const link = await linkFor(order);
    await customer.receive(new RegExp(escape(link.authorizationUrl)));

    const hook = paystack.chargeSuccess(shop.key, link.reference);
    const answers = await Promise.all(Array.from({ length: 5 }, () => postHook(shop.owner.tenantId, hook)));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);

    const paid = await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'paid',
    );
    expect(paid.status).toBe('confirmed');
    expect(paid.transitions.at(-1)).toMatchObject({
      from: 'pending_confirmation',
      to: 'confirmed',
      actorType: 'system',
    });
    expect(await paymentsOf(shop.owner, order.id)).toEqual([
      expect.objectContaining({ provider: 'paystack', status: 'succeeded', amountMinor: 500_000, reviewReasons: [] }),
    ]);
    const invoices = await t.http().get(`/v1/tenants/${shop.owner.tenantId}/invoices`).set(shop.owner.auth).expect(200);
    expect(invoices.body.items).toEqual([expect.objectContaining({ orderId: order.id, status: 'paid' })]);
    // Confirmed with Paystack, with this tenant's key, before anything changed.
    expect(paystack.verifyCalls).toContainEqual({ secretKey: shop.key, reference: link.reference });

    await customer.receive(received);
    // A late replay changes nothing either.
    await postHook(shop.owner.tenantId, hook).expect(200);
    await sleep(1500);
    expect(customer.received().filter((m) => received.test(m.text ?? ''))).toHaveLength(1);
    expect(await paymentsOf(shop.owner, order.id)).toHaveLength(1);
  });

  it('marks a paid order refunded when Paystack reports the refund, and tells staff', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);
    await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'paid',
    );

    await postHook(shop.owner.tenantId, refundHook(shop.key, link.reference, 500_000)).expect(200);

    await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'refunded',
    );
    expect(await paymentsOf(shop.owner, order.id)).toEqual([expect.objectContaining({ status: 'refunded' })]);
    const [mail] = await sink.waitFor(
      1,
      (m) => m.subject.includes(`order #${order.number}`) && m.to.includes(shop.owner.email),
    );
    expect(mail.text).toContain('Paystack refunded the payment');
    expect((await settled(shop.owner.tenantId, 'refund.processed')).outcome).toBe('refunded');
  });

  it('records a partial refund and tells staff, but leaves the order paid', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);
    await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'paid',
    );

    await postHook(shop.owner.tenantId, refundHook(shop.key, link.reference, 200_000)).expect(200);

    expect(await settled(shop.owner.tenantId, 'refund.processed')).toMatchObject({
      status: 'applied',
      outcome: 'partial_refund',
    });
    const mail = await staffMail(shop, order, 'Paystack refunded');
    expect(mail.text).toContain('The order is unchanged');
    expect(await orderOf(shop.owner, order.id)).toMatchObject({ status: 'confirmed', paymentStatus: 'paid' });
    expect(await paymentsOf(shop.owner, order.id)).toEqual([expect.objectContaining({ status: 'succeeded' })]);
  });

  it('records the refund of a payment held for review without touching the order, and tells staff', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    paystack.scriptVerify(link.reference, { amount: 400_000 });
    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);
    await eventually(
      () => paymentsOf(shop.owner, order.id),
      (items) => items[0]?.status === 'review',
    );

    await postHook(shop.owner.tenantId, refundHook(shop.key, link.reference, 400_000)).expect(200);

    expect(await settled(shop.owner.tenantId, 'refund.processed')).toMatchObject({
      status: 'applied',
      outcome: 'review_refunded',
    });
    const mail = await staffMail(shop, order, 'held for review');
    expect(mail.text).toContain('The order is unchanged');
    expect(await paymentsOf(shop.owner, order.id)).toEqual([
      expect.objectContaining({ status: 'refunded', reviewReasons: ['amount_mismatch'] }),
    ]);
    expect(await orderOf(shop.owner, order.id)).toMatchObject({
      status: 'pending_confirmation',
      paymentStatus: 'pending',
    });
  });

  it('refuses a wrong or missing signature with 401 and stores nothing', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    const forged = paystack.chargeSuccess(paystackTestKey(), link.reference);

    for (const res of [
      await postHook(shop.owner.tenantId, forged),
      await postHook(shop.owner.tenantId, { ...forged, signature: '' }),
      await postHook(randomUUID(), forged),
      await postHook('not-a-tenant', forged),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    const unsigned = await t
      .http()
      .post(`/v1/webhooks/paystack/${shop.owner.tenantId}`)
      .set('content-type', 'application/json')
      .send(forged.body);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe('invalid_signature');
    // Same answer for a real tenant that has no key: nothing to learn by probing.
    const keyless = await payingShop([]);
    expect((await postHook(keyless.owner.tenantId, forged)).body.error.code).toBe('invalid_signature');

    await t
      .http()
      .post(`/v1/webhooks/paystack/${shop.owner.tenantId}`)
      .set('content-type', 'application/json')
      .send('{"event":')
      .expect(400);
    const big = paystack.signedEvent(shop.key, { event: 'charge.success', data: { pad: 'x'.repeat(70 * 1024) } });
    expect((await postHook(shop.owner.tenantId, big)).status).toBe(413);

    await sleep(500);
    expect(await eventsOf(shop.owner.tenantId)).toEqual([]);
    expect(await paymentsOf(shop.owner, order.id)).toEqual([]);
    expect((await orderOf(shop.owner, order.id)).paymentStatus).toBe('pending');
  });

  it('keeps a payment verify reports for another amount for review, whatever the webhook body says, and e-mails staff', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    paystack.scriptVerify(link.reference, { amount: 400_000 });

    // The body claims the right amount: only verify's answer counts.
    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);

    const [payment] = await eventually(
      () => paymentsOf(shop.owner, order.id),
      (items) => items.length > 0,
    );
    expect(payment).toMatchObject({ status: 'review', amountMinor: 400_000, reviewReasons: ['amount_mismatch'] });
    const after = await orderOf(shop.owner, order.id);
    expect(after).toMatchObject({ status: 'pending_confirmation', paymentStatus: 'pending' });
    const [mail] = await sink.waitFor(
      1,
      (m) => m.subject.startsWith(`A payment needs review (order #${order.number})`) && m.to.includes(shop.owner.email),
    );
    expect(mail.text).toContain('needs review');
  });

  it('keeps a payment verify reports in another currency for review, whatever the webhook body says', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    paystack.scriptVerify(link.reference, { currency: 'GHS' });

    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);

    const [payment] = await eventually(
      () => paymentsOf(shop.owner, order.id),
      (items) => items.length > 0,
    );
    expect(payment).toMatchObject({ status: 'review', reviewReasons: ['currency_mismatch'] });
    expect((await orderOf(shop.owner, order.id)).paymentStatus).toBe('pending');
  });

  it('pays the order when verify confirms the right amount, whatever a wrong webhook body says', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);

    const hook = paystack.chargeSuccess(shop.key, link.reference, { amount: 1, currency: 'GHS' });
    await postHook(shop.owner.tenantId, hook).expect(200);

    const paid = await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'paid',
    );
    expect(paid.status).toBe('confirmed');
    expect(await paymentsOf(shop.owner, order.id)).toEqual([
      expect.objectContaining({ status: 'succeeded', amountMinor: 500_000, reviewReasons: [] }),
    ]);
  });

  it('records one payment when two deliveries with different Paystack ids name the same reference at once', async () => {
    const shop = await payingShop(['paystack']);
    const { order, customer } = await placeOrder(shop);
    const link = await linkFor(order);

    const hooks = [
      paystack.chargeSuccess(shop.key, link.reference, { id: 7_100_001 }),
      paystack.chargeSuccess(shop.key, link.reference, { id: 7_100_002 }),
    ];
    const answers = await Promise.all(hooks.map((hook) => postHook(shop.owner.tenantId, hook)));
    expect(answers.map((res) => res.status)).toEqual([200, 200]);

    const events = await eventually(
      () => eventsOf(shop.owner.tenantId),
      (rows) => rows.length === 2 && rows.every((row) => row.status !== 'pending'),
    );
    expect(events.map((row) => row.outcome).sort()).toEqual(['duplicate', 'paid']);
    expect(await paymentsOf(shop.owner, order.id)).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    await customer.receive(received);
    await sleep(500);
    expect(customer.received().filter((m) => received.test(m.text ?? ''))).toHaveLength(1);
  });

  it('does not fulfil a charge that Paystack’s verify does not confirm', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    paystack.scriptVerify(link.reference, { status: 'abandoned' });

    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);

    const [event] = await eventually(
      () => eventsOf(shop.owner.tenantId),
      (rows) => rows[0]?.status !== undefined && rows[0].status !== 'pending',
    );
    expect(event).toEqual({ status: 'ignored', outcome: 'not_successful:abandoned' });
    expect(await paymentsOf(shop.owner, order.id)).toEqual([]);
  });

  it('refuses tenant A’s payment posted to tenant B’s webhook URL', async () => {
    const a = await payingShop(['paystack']);
    const b = await payingShop(['paystack']);
    const { order } = await placeOrder(a);
    const link = await linkFor(order);
    const hookForA = paystack.chargeSuccess(a.key, link.reference);

    // Signed with A's key: B's URL does not accept it.
    expect((await postHook(b.owner.tenantId, hookForA)).status).toBe(401);
    // Signed with B's key: stored, but the reference is not B's, so nothing is paid.
    await postHook(b.owner.tenantId, paystack.signedEvent(b.key, JSON.parse(hookForA.body))).expect(200);

    const [event] = await eventually(
      () => eventsOf(b.owner.tenantId),
      (rows) => rows[0]?.status !== undefined && rows[0].status !== 'pending',
    );
    expect(event).toEqual({ status: 'ignored', outcome: 'unknown_reference' });
    expect(await paymentsOf(a.owner, order.id)).toEqual([]);
    expect((await orderOf(a.owner, order.id)).paymentStatus).toBe('pending');
    expect(await eventsOf(a.owner.tenantId)).toEqual([]);
  });
});

describe('verify answers that are not final', () => {
  it('keeps the event pending while Paystack calls the payment processing, then applies it once verify says success', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    paystack.scriptVerify(link.reference, { status: 'processing' });

    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);
    await leftPending(shop.owner.tenantId, 'not_final:processing');
    expect(await paymentsOf(shop.owner, order.id)).toEqual([]);
    expect((await orderOf(shop.owner, order.id)).paymentStatus).toBe('pending');

    paystack.scriptVerify(link.reference, { status: 'success' });
    const paid = await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'paid',
    );
    expect(paid.status).toBe('confirmed');
    expect(await settled(shop.owner.tenantId)).toMatchObject({ status: 'applied', outcome: 'paid' });
  });

  it('gives up on an event still processing a day after it came: failed, order untouched, staff e-mailed', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    paystack.scriptVerify(link.reference, { status: 'processing' });
    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);
    await leftPending(shop.owner.tenantId, 'not_final:processing');

    await asOwner(t, `UPDATE payment_events SET received_at = now() - interval '25 hours' WHERE tenant_id = $1`, [
      shop.owner.tenantId,
    ]);

    expect(await settled(shop.owner.tenantId)).toMatchObject({
      status: 'failed',
      outcome: 'gave_up:not_final:processing',
    });
    const mail = await staffMail(shop, order, 'could not be applied in time');
    expect(mail.subject).toContain('A payment needs review');
    expect(await orderOf(shop.owner, order.id)).toMatchObject({
      status: 'pending_confirmation',
      paymentStatus: 'pending',
    });
  });

  it('gives up on an event after too many errors, a garbled verify answer included', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    paystack.failNext(1000, { status: 200, body: 'upstream proxy says hello' }, (r) => r.secretKey === shop.key);
    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);
    await leftPending(shop.owner.tenantId, 'malformed_response');

    // As if the job and the sweeper had already tried for half an hour.
    await asOwner(t, `UPDATE payment_events SET failures = 29 WHERE tenant_id = $1`, [shop.owner.tenantId]);

    expect(await settled(shop.owner.tenantId)).toMatchObject({
      status: 'failed',
      outcome: 'gave_up:malformed_response',
    });
    await staffMail(shop, order, 'could not be applied in time (malformed_response)');
    expect(await paymentsOf(shop.owner, order.id)).toEqual([]);
  });

  it('fails a charge Paystack reports reversed, and tells staff', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    paystack.scriptVerify(link.reference, { status: 'reversed' });

    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);

    expect(await settled(shop.owner.tenantId)).toMatchObject({ status: 'failed', outcome: 'not_successful:reversed' });
    await staffMail(shop, order, 'now calls it reversed');
    expect(await paymentsOf(shop.owner, order.id)).toEqual([]);
  });

  it('fails, and tells staff about, a verify answer about another payment than our reference', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    paystack.scriptVerify(link.reference, { metadata: { tenant_id: randomUUID() } });

    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);

    expect(await settled(shop.owner.tenantId)).toMatchObject({ status: 'failed', outcome: 'verify_mismatch' });
    await staffMail(shop, order, 'about another payment or business');
    expect(await paymentsOf(shop.owner, order.id)).toEqual([]);
  });
});

describe('checkout expiry and payments on their way', () => {
  it('keeps a lapsed checkout open while its payment is still processing, then pays and confirms it', async () => {
    const shop = await payingShop(['paystack']);
    const held = await placeOrder(shop);
    const lapsed = await placeOrder(shop);
    const link = await linkFor(held.order);
    await linkFor(lapsed.order);
    paystack.scriptVerify(link.reference, { status: 'processing' });
    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);
    await leftPending(shop.owner.tenantId, 'not_final:processing');

    // Both past their expiry at once: the run that cancels the one without a payment saw the other too.
    await asOwner(t, `UPDATE orders SET expires_at = now() - interval '1 second' WHERE id = ANY($1)`, [
      [held.order.id, lapsed.order.id],
    ]);
    await eventually(
      () => orderOf(shop.owner, lapsed.order.id),
      (o) => o.status === 'cancelled',
    );
    expect(await orderOf(shop.owner, held.order.id)).toMatchObject({
      status: 'pending_confirmation',
      paymentStatus: 'pending',
    });

    paystack.scriptVerify(link.reference, { status: 'success' });
    const paid = await eventually(
      () => orderOf(shop.owner, held.order.id),
      (o) => o.paymentStatus === 'paid',
    );
    expect(paid.status).toBe('confirmed');
    expect(await paymentsOf(shop.owner, held.order.id)).toEqual([expect.objectContaining({ status: 'succeeded' })]);
  });
});

describe('what a webhook leaves stored', () => {
  it('keeps no card authorization, customer, log or IP of a webhook that carried them', async () => {
    const shop = await payingShop(['paystack']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    const body = JSON.parse(paystack.chargeSuccess(shop.key, link.reference).body);
    Object.assign(body.data, {
      ip_address: '41.58.12.34',
      authorization: { authorization_code: 'AUTH_8dfhjjdt', bin: '408408', last4: '4081', reusable: true },
      customer: { email: 'ada.obi@example.com', phone: '+2348012345678', customer_code: 'CUS_xnxdt6s1zg1f4nx' },
      log: { history: [{ type: 'action', message: 'Attempted to pay with card' }] },
    });

    await postHook(shop.owner.tenantId, paystack.signedEvent(shop.key, body)).expect(200);
    await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'paid',
    );

    const [stored] = await eventRows(shop.owner.tenantId);
    const text = JSON.stringify(stored.payload);
    for (const secret of [
      'AUTH_8dfhjjdt',
      'authorization',
      'ada.obi@example.com',
      'CUS_',
      '41.58.12.34',
      'Attempted',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(stored.payload).toEqual({
      event: 'charge.success',
      data: {
        id: String(body.data.id),
        reference: link.reference,
        amount: 500_000,
        currency: 'NGN',
        status: 'success',
        paid_at: body.data.paid_at,
        channel: 'card',
        metadata: { tenant_id: shop.owner.tenantId, order_id: order.id, order_number: order.number },
      },
    });
  });

  it('acknowledges a signed body of an odd shape with 200 and keeps it ignored, never applied', async () => {
    const shop = await payingShop(['paystack']);
    for (const body of [{ event: 'charge.success', data: 'x' }, { event: 'not an event', data: {} }, [1, 2]]) {
      await postHook(shop.owner.tenantId, paystack.signedEvent(shop.key, body)).expect(200);
    }
    expect(await eventsOf(shop.owner.tenantId)).toEqual([
      { status: 'ignored', outcome: 'malformed_event' },
      { status: 'ignored', outcome: 'malformed_event' },
      { status: 'ignored', outcome: 'malformed_event' },
    ]);
    // Unsigned, the same bodies are still refused.
    const unsigned = await postHook(shop.owner.tenantId, { body: '[1,2]', signature: 'f'.repeat(128) });
    expect(unsigned.status).toBe(401);
  });
});

describe('manual bank transfers', () => {
  it('lets staff record a transfer: 201, paid and confirmed, the customer told, audited with the member', async () => {
    const shop = await payingShop(['bank_transfer']);
    const staff = await addMember(t, shop.owner, 'staff');
    const { order, customer } = await placeOrder(shop);
    await customer.receive(new RegExp(escape(BANK)));
    const record = (account: Account, body: Record<string, unknown>, orderId = order.id) =>
      t.http().post(`/v1/tenants/${shop.owner.tenantId}/orders/${orderId}/payments`).set(account.auth).send(body);
    const reference = `TRF-${randomUUID().slice(0, 8)}`;

    const short = await record(staff, { method: 'bank_transfer', amountMinor: 499_999, reference }).expect(409);
    expect(short.body.error.code).toBe('amount_mismatch');
    await record(staff, { method: 'paystack', amountMinor: 500_000, reference }).expect(400);
    await record(staff, { method: 'bank_transfer', amountMinor: 0, reference }).expect(400);
    const stranger = await payingShop([]);
    await record(stranger.owner, { method: 'bank_transfer', amountMinor: 500_000, reference }).expect(404);
    await record(staff, { method: 'bank_transfer', amountMinor: 500_000, reference }, randomUUID()).expect(404);

    const created = await record(staff, { method: 'bank_transfer', amountMinor: 500_000, reference }).expect(201);
    expect(created.body).toMatchObject({
      provider: 'bank_transfer',
      reference,
      amountMinor: 500_000,
      currency: 'NGN',
      status: 'succeeded',
      recordedBy: staff.userId,
    });
    expect(await orderOf(staff, order.id)).toMatchObject({ status: 'confirmed', paymentStatus: 'paid' });
    await customer.receive(received);

    const again = await record(staff, { method: 'bank_transfer', amountMinor: 500_000, reference }).expect(409);
    expect(again.body.error.code).toBe('duplicate_payment');
    const second = await record(staff, { method: 'bank_transfer', amountMinor: 500_000, reference: `${reference}-2` });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already_paid');
    const other = await placeOrder(shop);
    const reused = await record(staff, { method: 'bank_transfer', amountMinor: 500_000, reference }, other.order.id);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('duplicate_payment');
    expect(await paymentsOf(staff, order.id)).toHaveLength(1);

    const audit = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/audit-log?action=payment.recorded`)
      .set(shop.owner.auth)
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actorUserId: staff.userId,
        targetId: order.id,
        details: expect.objectContaining({ provider: 'bank_transfer' }),
      }),
    ]);
  });

  it('records one of five concurrent requests for the same transfer', async () => {
    const shop = await payingShop(['bank_transfer']);
    const { order } = await placeOrder(shop);
    const body = { method: 'bank_transfer', amountMinor: 500_000, reference: `TRF-${randomUUID().slice(0, 8)}` };

    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.http().post(`/v1/tenants/${shop.owner.tenantId}/orders/${order.id}/payments`).set(shop.owner.auth).send(body),
      ),
    );

    expect(answers.map((res) => res.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await paymentsOf(shop.owner, order.id)).toHaveLength(1);
  });

  it('refuses a transfer for a cancelled order', async () => {
    const shop = await payingShop(['bank_transfer']);
    const { order } = await placeOrder(shop, { cancelAtOnce: true });
    const res = await t
      .http()
      .post(`/v1/tenants/${shop.owner.tenantId}/orders/${order.id}/payments`)
      .set(shop.owner.auth)
      .send({ method: 'bank_transfer', amountMinor: 500_000, reference: 'TRF-cancelled' })
      .expect(409);
    expect(res.body.error.code).toBe('order_cancelled');
  });
});

describe('the payments sweeper', () => {
  it('picks up a payment request and a Paystack event that no job ever ran', async () => {
    const shop = await payingShop(['paystack']);
    const { order, customer } = await placeOrder(shop);
    const link = await linkFor(order);
    await customer.receive(new RegExp(escape(link.authorizationUrl)));
    const scope = { tenantId: shop.owner.tenantId };
    const hook = paystack.chargeSuccess(shop.key, link.reference);
    // Written as if Redis had been away: rows without jobs, older than the sweeper's patience.
    await t.app.get(TenantDb).run(scope, async (tx) => {
      await tx.query(
        `INSERT INTO payment_requests (tenant_id, order_id, reason, created_at)
         VALUES ($1, $2, 'customer_asked', now() - interval '10 minutes')`,
        [scope.tenantId, order.id],
      );
      await tx.query(
        `INSERT INTO payment_events (tenant_id, provider, event, dedupe_key, reference, payload, received_at)
         VALUES ($1, 'paystack', 'charge.success', 'swept', $2, $3, now() - interval '10 minutes')`,
        [scope.tenantId, link.reference, hook.body],
      );
    });

    // The sweeper runs on the maintenance interval: nothing else enqueues these rows.
    await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'paid',
    );
    const links = new RegExp(escape(link.authorizationUrl));
    await eventually(
      async () => customer.received().filter((m) => links.test(m.text ?? '')).length,
      (n) => n === 2,
    );
  });
});

describe('payment settings', () => {
  it('stores the key sealed and shows only its last 4 characters, in no response body', async () => {
    const shop = await openShop(t, graph);
    const key = paystackTestKey();
    const url = `/v1/tenants/${shop.owner.tenantId}/payment-settings`;
    const empty = await t.http().get(url).set(shop.owner.auth).expect(200);
    expect(empty.body).toMatchObject({ methods: [], paystackSecretKeyLast4: null, bankTransferInstructions: null });

    const saved = await putSettings(shop.owner, {
      methods: ['paystack', 'bank_transfer'],
      paystackSecretKey: key,
      bankTransferInstructions: `  ${BANK}  `,
    }).expect(200);
    expect(saved.body).toMatchObject({
      methods: ['paystack', 'bank_transfer'],
      paystackSecretKeyLast4: `••••${key.slice(-4)}`,
      paystackKeyMode: 'test',
      bankTransferInstructions: BANK,
    });
    const staff = await addMember(t, shop.owner, 'staff');
    const read = await t.http().get(url).set(staff.auth).expect(200);
    expect(read.body).toEqual(saved.body);

    // Omitting the key keeps it; null removes it.
    const kept = await putSettings(shop.owner, { methods: ['bank_transfer'] }).expect(200);
    expect(kept.body).toMatchObject({ methods: ['bank_transfer'], paystackSecretKeyLast4: `••••${key.slice(-4)}` });
    const removed = await putSettings(shop.owner, { methods: ['bank_transfer'], paystackSecretKey: null }).expect(200);
    expect(removed.body.paystackSecretKeyLast4).toBeNull();
    await putSettings(shop.owner, { methods: ['paystack'], paystackSecretKey: key }).expect(200);

    const audit = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/audit-log?action=payments.settings_changed`)
      .set(shop.owner.auth)
      .expect(200);
    expect(audit.body.items).toHaveLength(4);
    for (const body of [saved.body, read.body, kept.body, removed.body, audit.body]) {
      expect(JSON.stringify(body)).not.toContain(key.slice(8));
    }
    const [stored] = await t.app
      .get(TenantDb)
      .run({ tenantId: shop.owner.tenantId }, (tx) =>
        tx.query<{ sealed: string }[]>(`SELECT paystack_secret_key_sealed AS sealed FROM payment_settings`),
      );
    expect(stored.sealed).not.toContain(key.slice(8));
  });

  it('refuses settings a method cannot work with, and unknown fields, with 400', async () => {
    const shop = await openShop(t, graph);
    const expectInvalid = async (body: Record<string, unknown>, field: string) => {
      const res = await putSettings(shop.owner, body).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.details.fields)).toContain(field);
    };
    await expectInvalid({ methods: ['paystack'] }, 'paystackSecretKey');
    await expectInvalid({ methods: ['paystack'], paystackSecretKey: 'pk_test_0123456789abcdef' }, 'paystackSecretKey');
    await expectInvalid({ methods: ['paystack'], paystackSecretKey: 'sk_test_' }, 'paystackSecretKey');
    await expectInvalid({ methods: ['bank_transfer'] }, 'bankTransferInstructions');
    await expectInvalid(
      { methods: ['bank_transfer'], bankTransferInstructions: 'x'.repeat(1001) },
      'bankTransferInstructions',
    );
    await expectInvalid({ methods: ['bank_transfer'], bankTransferInstructions: '   ' }, 'bankTransferInstructions');
    await expectInvalid({ methods: ['cash'] }, 'methods');
    await expectInvalid({ methods: ['bank_transfer', 'bank_transfer'], bankTransferInstructions: BANK }, 'methods');
    await expectInvalid({ methods: [], secret: 'x' }, 'secret');
    const res = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/payment-settings`)
      .set(shop.owner.auth)
      .expect(200);
    expect(res.body.methods).toEqual([]);
  });

  it('refuses to remove the Paystack key while unpaid orders have Paystack links, then allows it once they are paid', async () => {
    const shop = await payingShop(['paystack', 'bank_transfer']);
    const { order } = await placeOrder(shop);
    const link = await linkFor(order);
    const removal = { methods: ['bank_transfer'], paystackSecretKey: null };

    const refused = await putSettings(shop.owner, removal).expect(409);
    expect(refused.body.error).toMatchObject({
      code: 'paystack_key_in_use',
      details: { orderNumbers: [order.number] },
    });
    const unchanged = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/payment-settings`)
      .set(shop.owner.auth)
      .expect(200);
    expect(unchanged.body).toMatchObject({
      methods: ['paystack', 'bank_transfer'],
      paystackSecretKeyLast4: `••••${shop.key.slice(-4)}`,
    });
    // Switching Paystack off while keeping the key is fine: the link still verifies.
    await putSettings(shop.owner, { methods: ['bank_transfer'] }).expect(200);

    await postHook(shop.owner.tenantId, paystack.chargeSuccess(shop.key, link.reference)).expect(200);
    await eventually(
      () => orderOf(shop.owner, order.id),
      (o) => o.paymentStatus === 'paid',
    );
    const removed = await putSettings(shop.owner, removal).expect(200);
    expect(removed.body.paystackSecretKeyLast4).toBeNull();
  });

  it('lets only owners and admins change them, and hides them from other tenants', async () => {
    const shop = await openShop(t, graph);
    const staff = await addMember(t, shop.owner, 'staff');
    const admin = await addMember(t, shop.owner, 'admin');
    const body = { methods: ['bank_transfer'], bankTransferInstructions: BANK };

    expect((await putSettings(staff, body, shop.owner.tenantId)).status).toBe(403);
    await putSettings(admin, body, shop.owner.tenantId).expect(200);
    const stranger = await openShop(t, graph);
    expect((await putSettings(stranger.owner, body, shop.owner.tenantId)).status).toBe(404);
    await t.http().get(`/v1/tenants/${shop.owner.tenantId}/payment-settings`).set(stranger.owner.auth).expect(404);
  });
});
