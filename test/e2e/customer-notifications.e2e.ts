import type { EntityManager } from 'typeorm';
import { TenantDb } from '../../src/database/tenant-db.js';
import { CartService } from '../../src/modules/commerce/cart.service.js';
import { OrdersService } from '../../src/modules/commerce/orders/orders.service.js';
import type { CustomerNotice } from '../../src/modules/notifications/customer/customer-notification.js';
import { CustomerNotificationDelivery } from '../../src/modules/notifications/customer/customer-notification-delivery.service.js';
import { CustomerNotificationQueue } from '../../src/modules/notifications/customer/customer-notification.queue.js';
import { CustomerNotificationSweeper } from '../../src/modules/notifications/customer/customer-notification-sweeper.service.js';
import { CustomerNotifications } from '../../src/modules/notifications/customer/customer-notifications.service.js';
import { MAX_DELIVERY_ATTEMPTS } from '../../src/modules/notifications/customer/customer-notification.updates.js';
import { startFakeGraphApi, type FakeGraphApi, type RecordedMessage } from '../fakes/fake-graph-api.js';
import { startSmtpSink, type SmtpSink } from '../fakes/smtp-sink.js';
import { type Account, addMember, signUp } from '../support/fixtures.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let sink: SmtpSink;
let graph: FakeGraphApi;
let t: TestApp;
let shop: Shop;
let staff: Account;
let tenantDb: TenantDb;

beforeAll(async () => {
  sink = await startSmtpSink();
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, SMTP_URL: sink.url });
  shop = await openShop(t, graph);
  staff = await addMember(t, shop.owner, 'staff');
  tenantDb = t.app.get(TenantDb);
});
afterAll(async () => {
  await t.close();
  await graph.close();
  await sink.close();
});

const DELIVERY = { name: 'Ada Obi', phone: '+2348012345678', address: '12 Marina, Lagos' };
const scope = () => ({ tenantId: shop.owner.tenantId });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inTenant = <T>(work: (tx: EntityManager) => Promise<T>) => tenantDb.run(scope(), work);

interface Buyer {
  customer: string;
  conversationId: string;
  contactId: string;
}

interface PlacedOrder {
  id: string;
  number: number;
}

const say = (customer: string, text: string) =>
  postWebhook(t, whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from: customer, text }])).expect(200);
const received = (customer: string) => graph.sentTo(customer);
const textOf = (m: RecordedMessage) => m.text ?? '';

/** A WhatsApp customer who has written (so the window is open) and had the bot's greeting. */
async function newBuyer(): Promise<Buyer> {
  const customer = customerNumber();
  await say(customer, 'hi');
  await graph.waitForCount(1, (m) => m.to.replace('+', '') === customer, 10_000);
  const [row] = await inTenant((tx) =>
    tx.query<{ id: string; contact_id: string }[]>(
      `SELECT c.id, c.contact_id FROM conversations c JOIN contacts k ON k.tenant_id = c.tenant_id AND k.id = c.contact_id
        WHERE c.tenant_id = $1 AND k.external_ref = $2`,
      [scope().tenantId, customer],
    ),
  );
  return { customer, conversationId: row.id, contactId: row.contact_id };
}

/**
 * A confirmed order. Confirmation is set in the database, not through a transition: the
 * invoices module answers a confirmation with its own notification, which is not what
 * these tests are about.
 */
async function confirmedOrder(buyer: Buyer): Promise<PlacedOrder> {
  const { order } = await inTenant(async (tx) => {
    await t.app.get(CartService).add(tx, scope(), buyer.conversationId, shop.products[0].id, 2);
    return t.app.get(OrdersService).createFromCart(tx, scope(), { ...buyer, delivery: DELIVERY });
  });
  // Whatever the checkout itself tells the customer (the payment link) is out of the way first.
  await settled(order.id);
  await barrier(buyer);
  await inTenant((tx) =>
    tx.query(`UPDATE orders SET status = 'confirmed' WHERE tenant_id = $1 AND id = $2`, [scope().tenantId, order.id]),
  );
  return { id: order.id, number: order.number };
}

async function settled(orderId: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    const pending = await inTenant((tx) =>
      tx.query(`SELECT 1 FROM customer_notifications WHERE tenant_id = $1 AND order_id = $2 AND status = 'pending'`, [
        scope().tenantId,
        orderId,
      ]),
    );
    if (pending.length === 0) return;
    await sleep(20);
  }
  throw new Error('the order’s notifications never settled');
}

function move(orderId: string, to: string, as: Account = staff) {
  return t.http().post(`/v1/tenants/${as.tenantId}/orders/${orderId}/transitions`).set(as.auth).send({ to });
}

function record(notice: CustomerNotice): Promise<boolean> {
  return inTenant((tx) => t.app.get(CustomerNotifications).record(tx, scope(), notice));
}

/** The order's notifications of these kinds (the order updates unless told), oldest first. */
function notificationsOf(
  orderId: string,
  kinds = ['order_processing', 'out_for_delivery', 'delivered', 'order_cancelled'],
) {
  return inTenant((tx) =>
    tx.query<{ kind: string; key: string; status: string; delivered_as: string | null; message_id: string | null }[]>(
      `SELECT kind, key, status, delivered_as, message_id, reason FROM customer_notifications
        WHERE tenant_id = $1 AND order_id = $2 AND kind = ANY($3::text[]) ORDER BY created_at, id`,
      [scope().tenantId, orderId, kinds],
    ),
  );
}

/** Moves the customer's last message back beyond WhatsApp's 24-hour window. */
function closeWindow(buyer: Buyer) {
  return inTenant(async (tx) => {
    await tx.query(
      `UPDATE conversations SET last_inbound_at = now() - interval '25 hours' WHERE tenant_id = $1 AND id = $2`,
      [scope().tenantId, buyer.conversationId],
    );
    await tx.query(
      `UPDATE contacts SET last_inbound_at = now() - interval '25 hours' WHERE tenant_id = $1 AND id = $2`,
      [scope().tenantId, buyer.contactId],
    );
  });
}

function setTemplate(template: { name: string; languageCode: string } | null) {
  return t
    .http()
    .put(`/v1/tenants/${shop.owner.tenantId}/notification-settings`)
    .set(shop.owner.auth)
    .send({ whatsappTemplate: template })
    .expect(200);
}

/**
 * The customer writes again and waits for the bot's answer. Replies leave a conversation
 * oldest first, so once this one has arrived, anything queued before it has too.
 */
async function barrier(buyer: Buyer): Promise<void> {
  const before = received(buyer.customer).length;
  await say(buyer.customer, 'hi');
  await graph.waitForCount(before + 1, (m) => m.to.replace('+', '') === buyer.customer, 10_000);
}

const UPDATES = [/is being prepared/, /is on its way to you/, /has been delivered/];
const updatesTo = (buyer: Buyer) =>
  received(buyer.customer)
    .map(textOf)
    .filter((text) => UPDATES.some((pattern) => pattern.test(text)));

describe('order updates to the customer', () => {
  it('tells the customer of each step staff take, once each and in order, however often the work repeats', async () => {
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    const waitForUpdates = (n: number) =>
      graph.waitForCount(
        n,
        (m) => m.to.replace('+', '') === buyer.customer && UPDATES.some((p) => p.test(textOf(m))),
        10_000,
      );

    await move(order.id, 'processing').expect(200);
    await waitForUpdates(1);
    // The same job again, directly and through the queue, and the same transition again.
    await t.app.get(CustomerNotificationDelivery).deliver({ tenantId: scope().tenantId, orderId: order.id });
    await t.app.get(CustomerNotificationQueue).enqueue({ tenantId: scope().tenantId, orderId: order.id }, 'again');
    await move(order.id, 'processing').expect(409);

    await move(order.id, 'out_for_delivery').expect(200);
    await waitForUpdates(2);
    await move(order.id, 'delivered').expect(200);
    await waitForUpdates(3);
    await move(order.id, 'delivered').expect(409);
    await t.app.get(CustomerNotificationSweeper).sweep();
    await t.app.get(CustomerNotificationDelivery).deliver({ tenantId: scope().tenantId, orderId: order.id });
    await barrier(buyer);

    const updates = updatesTo(buyer);
    expect(updates).toEqual([
      `Your order #${order.number} from Shop ${shop.owner.email} is being prepared.`,
      `Your order #${order.number} from Shop ${shop.owner.email} is on its way to you.`,
      `Your order #${order.number} from Shop ${shop.owner.email} has been delivered. Thank you for your order!`,
    ]);
    const rows = await notificationsOf(order.id);
    expect(rows.map((r) => [r.kind, r.status, r.delivered_as])).toEqual([
      ['order_processing', 'sent', 'text'],
      ['out_for_delivery', 'sent', 'text'],
      ['delivered', 'sent', 'text'],
    ]);
    expect(rows.every((r) => r.message_id !== null)).toBe(true);

    // Staff read the updates in the conversation's transcript, from the system.
    const transcript = await inTenant((tx) =>
      tx.query<{ source: string; body: string }[]>(
        `SELECT source, body FROM messages WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY created_at`,
        [scope().tenantId, rows.map((r) => r.message_id)],
      ),
    );
    expect(transcript.map((m) => m.source)).toEqual(['system', 'system', 'system']);
    expect(transcript[0].body).toBe(updates[0]);
  });

  it('says nothing of a cancellation the customer made, and tells of one staff made', async () => {
    const buyer = await newBuyer();
    const { order } = await inTenant(async (tx) => {
      await t.app.get(CartService).add(tx, scope(), buyer.conversationId, shop.products[1].id, 1);
      return t.app.get(OrdersService).createFromCart(tx, scope(), { ...buyer, delivery: DELIVERY });
    });
    await inTenant((tx) =>
      t.app.get(OrdersService).transition(tx, scope(), order.id, 'cancelled', { type: 'customer' }),
    );
    const other = await confirmedOrder(buyer);
    await move(other.id, 'cancelled').expect(200);
    const [cancelled] = await graph.waitFor(
      (m) => m.to.replace('+', '') === buyer.customer && textOf(m).includes('has been cancelled'),
      10_000,
    );
    expect(textOf(cancelled)).toContain(`order #${other.number}`);
    expect((await notificationsOf(order.id)).filter((r) => r.kind === 'order_cancelled')).toEqual([]);
    expect(
      received(buyer.customer).filter(
        (m) => textOf(m).includes(`#${order.number} `) && textOf(m).includes('cancelled'),
      ),
    ).toEqual([]);
  });
});

describe('a notification that keeps failing', () => {
  function attemptsOf(orderId: string) {
    return inTenant((tx) =>
      tx.query<
        {
          kind: string;
          status: string;
          reason: string | null;
          message_id: string | null;
          attempts: number;
          last_error: string | null;
        }[]
      >(
        `SELECT kind, status, reason, message_id, attempts, last_error FROM customer_notifications
          WHERE tenant_id = $1 AND order_id = $2 AND key IN ('payment_link:broken', 'order_processing')
          ORDER BY created_at, id`,
        [scope().tenantId, orderId],
      ),
    );
  }

  it('is given up after a few attempts, staff are told, and the order’s next notification goes out', async () => {
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    // A notice the worker cannot put into words (bank-transfer instructions that are not
    // text, as a caller's bug could store): every delivery of it throws. No job was queued.
    await inTenant((tx) =>
      tx.query(
        `INSERT INTO customer_notifications (tenant_id, order_id, conversation_id, kind, key, notice)
         VALUES ($1, $2, $3, 'payment_link', 'payment_link:broken', '{"payment": {"bankTransferInstructions": 42}}')`,
        [scope().tenantId, order.id, buyer.conversationId],
      ),
    );
    // Its job fails on the broken notice first, and is retried by the queue; so is this one.
    await move(order.id, 'processing').expect(200);
    const delivery = t.app.get(CustomerNotificationDelivery);
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) {
      const [broken, next] = await attemptsOf(order.id);
      if (broken.status !== 'pending') break;
      // Until it is given up, the order's later notification waits behind it.
      expect(next.status).toBe('pending');
      await delivery.deliver({ tenantId: scope().tenantId, orderId: order.id }).catch(() => undefined);
    }

    const [broken] = await attemptsOf(order.id);
    expect(broken).toEqual({
      kind: 'payment_link',
      status: 'undeliverable',
      reason: 'delivery_failed',
      // Nothing of it reached the transcript, nor the customer.
      message_id: null,
      attempts: MAX_DELIVERY_ATTEMPTS,
      last_error: expect.stringMatching(/^TypeError: .*trim/),
    });
    await graph.waitFor(
      (m) => m.to.replace('+', '') === buyer.customer && textOf(m).includes('is being prepared'),
      10_000,
    );
    const [mail] = await sink.waitFor(
      1,
      (m) => m.text.includes(`Order #${order.number}:`) && m.text.includes('failed repeatedly'),
    );
    expect(mail.subject).toBe(
      `A customer could not be told about their order (order #${order.number}): Shop ${shop.owner.email}`,
    );
    expect(mail.text).toContain('the customer was not told (payment link)');

    // Given up for good: neither the sweeper nor another job tries it again.
    await t.app.get(CustomerNotificationSweeper).sweep();
    await delivery.deliver({ tenantId: scope().tenantId, orderId: order.id });
    await barrier(buyer);
    expect((await attemptsOf(order.id)).map((r) => [r.kind, r.status, r.attempts])).toEqual([
      ['payment_link', 'undeliverable', MAX_DELIVERY_ATTEMPTS],
      ['order_processing', 'sent', 0],
    ]);
    expect(updatesTo(buyer)).toEqual([`Your order #${order.number} from Shop ${shop.owner.email} is being prepared.`]);
  });
});

describe('outside WhatsApp’s 24-hour window', () => {
  afterEach(() => setTemplate(null));

  it('sends the business’s template with the order number and a one-line update', async () => {
    await setTemplate({ name: 'order_update', languageCode: 'en_US' });
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    await move(order.id, 'processing').expect(200);
    await graph.waitFor(
      (m) => m.to.replace('+', '') === buyer.customer && textOf(m).includes('being prepared'),
      10_000,
    );
    await closeWindow(buyer);

    await move(order.id, 'out_for_delivery').expect(200);
    const [template] = await graph.waitFor(
      (m) => m.to.replace('+', '') === buyer.customer && m.body.type === 'template',
      10_000,
    );
    expect(template.body.template).toEqual({
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: String(order.number) },
            { type: 'text', text: 'On its way to you.' },
          ],
        },
      ],
    });
    expect((await notificationsOf(order.id)).map((r) => [r.kind, r.status, r.delivered_as])).toEqual([
      ['order_processing', 'sent', 'text'],
      ['out_for_delivery', 'sent', 'template'],
    ]);
  });

  it('without a template sends nothing, marks the notification undeliverable and e-mails staff', async () => {
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    await closeWindow(buyer);
    const before = received(buyer.customer).length;

    await move(order.id, 'processing').expect(200);
    const [mail] = await sink.waitFor(
      1,
      (m) => m.text.includes(`Order #${order.number}:`) && m.subject.startsWith('A customer could not be told'),
    );
    expect([...mail.to].sort()).toEqual([shop.owner.email, staff.email].sort());
    expect(mail.subject).toBe(
      `A customer could not be told about their order (order #${order.number}): Shop ${shop.owner.email}`,
    );
    expect(mail.text).toMatch(/the customer was not told \([^)]*order processing[^)]*\)/);
    expect(mail.text).toContain('no message template is set');
    expect(mail.text).toContain(`${t.config.http.publicBaseUrl}/v1/tenants/${shop.owner.tenantId}/orders/${order.id}`);
    expect(mail.text).not.toContain(buyer.customer);

    expect(
      received(buyer.customer)
        .slice(before)
        .filter((m) => m.body.type === 'template' || textOf(m).includes('being prepared')),
    ).toEqual([]);
    expect(await notificationsOf(order.id)).toEqual([
      expect.objectContaining({ kind: 'order_processing', status: 'undeliverable', message_id: null }),
    ]);
    const audit = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/audit-log?action=notification.staff_notice`)
      .set(shop.owner.auth)
      .expect(200);
    expect((audit.body.items as { targetId: string; details: object }[]).map((e) => e.details)).toContainEqual({
      kind: 'customer_unreachable',
      orderId: order.id,
    });
  });

  it('falls back to the template when Meta refuses a free-form update for the closed window (131047)', async () => {
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    await move(order.id, 'processing').expect(200);
    const [sent] = await graph.waitFor(
      (m) => m.to.replace('+', '') === buyer.customer && textOf(m).includes('being prepared'),
      10_000,
    );
    await setTemplate({ name: 'order_update', languageCode: 'en' });
    // The send was accepted; Meta's verdict comes later, as a status.
    await waitForProviderId(sent.providerMessageId);
    await postWebhook(t, failedStatus(sent.providerMessageId, buyer.customer)).expect(200);

    const sweeper = t.app.get(CustomerNotificationSweeper);
    await sweeper.sweep();
    const [template] = await graph.waitFor(
      (m) => m.to.replace('+', '') === buyer.customer && m.body.type === 'template',
      10_000,
    );
    expect(template.body.template).toMatchObject({
      name: 'order_update',
      components: [
        { parameters: [{ text: String(order.number) }, { text: `Being prepared by Shop ${shop.owner.email}.` }] },
      ],
    });
    await sweeper.sweep();
    await t.app.get(CustomerNotificationDelivery).deliver({ tenantId: scope().tenantId, orderId: order.id });
    await barrier(buyer);
    expect(received(buyer.customer).filter((m) => m.body.type === 'template')).toHaveLength(1);
    expect(await notificationsOf(order.id)).toEqual([
      expect.objectContaining({ kind: 'order_processing', status: 'sent', delivered_as: 'template' }),
    ]);
  });
});

async function waitForProviderId(providerMessageId: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    const rows = await inTenant((tx) =>
      tx.query(`SELECT 1 FROM messages WHERE tenant_id = $1 AND provider_message_id = $2`, [
        scope().tenantId,
        providerMessageId,
      ]),
    );
    if (rows.length) return;
    await sleep(20);
  }
  throw new Error('the message was never marked sent');
}

function failedStatus(providerMessageId: string, customer: string) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA-1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: shop.whatsapp!.phoneNumberId },
              statuses: [
                {
                  id: providerMessageId,
                  status: 'failed',
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  recipient_id: customer,
                  errors: [
                    {
                      code: 131047,
                      title: 'Re-engagement message',
                      message: 'Re-engagement message',
                      error_data: { details: 'Message failed to send because more than 24 hours have passed' },
                    },
                  ],
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

describe('CustomerNotifications.record', () => {
  it('records a notice once per key and sends it once, with the payment link', async () => {
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    const url = `https://checkout.paystack.test/${order.id}`;
    const notice: CustomerNotice = { orderId: order.id, kind: 'payment_link', key: 'payment_link:1', payment: { url } };

    const results = await Promise.all([record(notice), record(notice)]);
    expect(results.sort()).toEqual([false, true]);
    expect(await record(notice)).toBe(false);
    const [link] = await graph.waitFor(
      (m) => m.to.replace('+', '') === buyer.customer && textOf(m).includes(url),
      10_000,
    );
    expect(textOf(link)).toContain(`Pay securely here: ${url}`);
    expect(textOf(link)).toContain('₦5,000.00');

    await barrier(buyer);
    expect(received(buyer.customer).filter((m) => textOf(m).includes(url))).toHaveLength(1);
    expect((await notificationsOf(order.id, ['payment_link'])).filter((r) => r.key === 'payment_link:1')).toEqual([
      expect.objectContaining({ key: 'payment_link:1', status: 'sent' }),
    ]);
  });

  it('sends an invoice on WhatsApp as one document captioned with the notification', async () => {
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    const before = received(buyer.customer).length;
    const invoice = {
      invoiceNumber: 'INV-2026-000001',
      link: 'https://api.hawker.test/v1/public/invoices/tok',
      filename: 'INV-2026-000001.pdf',
    };
    expect(await record({ orderId: order.id, kind: 'order_confirmed', key: 'test_confirmed', invoice })).toBe(true);

    const [document] = await graph.waitFor(
      (m) => m.to.replace('+', '') === buyer.customer && m.body.type === 'document',
      10_000,
    );
    expect(document.body.document).toEqual({
      link: invoice.link,
      filename: invoice.filename,
      caption: `Shop ${shop.owner.email} has confirmed your order #${order.number} (total ₦5,000.00).`,
    });
    await barrier(buyer);
    // One message: no text besides the document.
    const confirmations = received(buyer.customer)
      .slice(before)
      .filter((m) => JSON.stringify(m.body).includes('has confirmed your order'));
    expect(confirmations.map((m) => m.body.type)).toEqual(['document']);
    expect(received(buyer.customer).filter((m) => m.body.type === 'document')).toHaveLength(1);
  });

  it('delivers a notification whose job was lost once the sweeper finds it', async () => {
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    // Recorded, but no job was ever queued (Redis was away at commit).
    await inTenant((tx) =>
      tx.query(
        `INSERT INTO customer_notifications (tenant_id, order_id, conversation_id, kind, key, notice, created_at)
         VALUES ($1, $2, $3, 'order_processing', 'order_processing', '{}', now() - interval '1 minute')`,
        [scope().tenantId, order.id, buyer.conversationId],
      ),
    );
    expect(await t.app.get(CustomerNotificationSweeper).sweep()).toBeGreaterThanOrEqual(1);
    await graph.waitFor(
      (m) =>
        m.to.replace('+', '') === buyer.customer &&
        textOf(m).includes(`#${order.number} from Shop ${shop.owner.email} is being prepared`),
      10_000,
    );
    expect(await notificationsOf(order.id)).toEqual([expect.objectContaining({ status: 'sent' })]);
  });

  it('lets the app settle a notification but never change what it says, nor whom, nor delete it', async () => {
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    expect(await record({ orderId: order.id, kind: 'order_processing', key: 'test_grants' })).toBe(true);
    const [row] = await inTenant((tx) =>
      tx.query<{ conversation_id: string }[]>(
        `SELECT conversation_id FROM customer_notifications WHERE tenant_id = $1 AND order_id = $2 AND key = 'test_grants'`,
        [scope().tenantId, order.id],
      ),
    );
    expect(row.conversation_id).toBe(buyer.conversationId);
    for (const change of ['notice = notice', 'conversation_id = conversation_id', 'order_id = order_id', 'key = key']) {
      await expect(
        inTenant((tx) =>
          tx.query(`UPDATE customer_notifications SET ${change} WHERE tenant_id = $1 AND order_id = $2`, [
            scope().tenantId,
            order.id,
          ]),
        ),
      ).rejects.toThrow(/permission denied/);
    }
    await expect(
      inTenant((tx) =>
        tx.query(`DELETE FROM customer_notifications WHERE tenant_id = $1 AND order_id = $2`, [
          scope().tenantId,
          order.id,
        ]),
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it('shows the sweeper only the last day’s unsettled notifications and refused messages', async () => {
    const buyer = await newBuyer();
    const order = await confirmedOrder(buyer);
    // Written and read in one transaction that is rolled back: the running sweeper never
    // sees these rows, so nothing delivers them while they are looked at.
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const tx = runner.manager;
    try {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'hawker_app', true)`, [
        scope().tenantId,
      ]);
      const insert = async (ago: string) => {
        const [notification] = await tx.query<{ created_at: Date }[]>(
          `INSERT INTO customer_notifications (tenant_id, order_id, conversation_id, kind, key, notice, created_at)
           VALUES ($1, $2, $3, 'order_processing', $4, '{}', now() - $5::interval) RETURNING created_at`,
          [scope().tenantId, order.id, buyer.conversationId, `test_${ago}`, ago],
        );
        const [message] = await tx.query<{ id: string }[]>(
          `INSERT INTO messages (tenant_id, conversation_id, direction, source, delivery_status, error_code, created_at)
           VALUES ($1, $2, 'out', 'system', 'failed', 'meta:131047', now() - $3::interval) RETURNING id`,
          [scope().tenantId, buyer.conversationId, ago],
        );
        return { createdAt: notification.created_at, messageId: message.id };
      };
      const old = await insert('2 days');
      const recent = await insert('1 hour');
      // As the sweeper runs: no tenant pinned, so only its own policies show it anything.
      await tx.query(`SELECT set_config('app.tenant_id', '', true), set_config('role', 'hawker_sweeper', true)`);
      const notifications = await tx.query<{ created_at: Date }[]>(
        `SELECT created_at FROM customer_notifications WHERE tenant_id = $1 AND order_id = $2 AND status = 'pending'`,
        [scope().tenantId, order.id],
      );
      expect(notifications).toEqual([{ created_at: recent.createdAt }]);
      const messages = await tx.query<{ id: string }[]>(`SELECT id FROM messages WHERE id = ANY($1::uuid[])`, [
        [old.messageId, recent.messageId],
      ]);
      expect(messages).toEqual([{ id: recent.messageId }]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('refuses an order the business does not have', async () => {
    const [unknown] = await t.dataSource.query<{ id: string }[]>(`SELECT gen_random_uuid() AS id`);
    await expect(record({ orderId: unknown.id, kind: 'delivered' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('notification settings API', () => {
  const path = (account: Account) => `/v1/tenants/${account.tenantId}/notification-settings`;

  it('lets owners and admins set the WhatsApp template, audited, and any member read it', async () => {
    const fresh = await signUp(t);
    const admin = await addMember(t, fresh, 'admin');
    const member = await addMember(t, fresh, 'staff');
    const empty = await t.http().get(path(fresh)).set(member.auth).expect(200);
    expect(empty.body).toEqual({ whatsappTemplate: null, updatedAt: null });

    const put = await t
      .http()
      .put(path(fresh))
      .set(admin.auth)
      .send({ whatsappTemplate: { name: 'order_update_2', languageCode: 'pt_BR' } })
      .expect(200);
    expect(put.body).toEqual({
      whatsappTemplate: { name: 'order_update_2', languageCode: 'pt_BR' },
      updatedAt: expect.any(String),
    });
    const read = await t.http().get(path(fresh)).set(member.auth).expect(200);
    expect(read.body.whatsappTemplate).toEqual({ name: 'order_update_2', languageCode: 'pt_BR' });
    await t.http().put(path(fresh)).set(fresh.auth).send({ whatsappTemplate: null }).expect(200);
    expect((await t.http().get(path(fresh)).set(fresh.auth).expect(200)).body.whatsappTemplate).toBeNull();

    const audit = await t
      .http()
      .get(`/v1/tenants/${fresh.tenantId}/audit-log?action=notification.settings_changed`)
      .set(fresh.auth)
      .expect(200);
    expect(audit.body.items.map((e: { actorUserId: string; details: object }) => [e.actorUserId, e.details])).toEqual([
      [fresh.userId, { whatsappTemplate: null }],
      [admin.userId, { whatsappTemplate: { name: 'order_update_2', languageCode: 'pt_BR' } }],
    ]);
  });

  it('refuses staff (403), other businesses (404) and malformed settings (400), changing nothing', async () => {
    const fresh = await signUp(t);
    const member = await addMember(t, fresh, 'staff');
    const template = { name: 'order_update', languageCode: 'en' };
    await t.http().put(path(fresh)).set(member.auth).send({ whatsappTemplate: template }).expect(403);
    await t.http().put(path(fresh)).set(shop.owner.auth).send({ whatsappTemplate: template }).expect(404);
    await t.http().get(path(fresh)).set(shop.owner.auth).expect(404);

    const bad: [unknown, string][] = [
      [{}, 'whatsappTemplate'],
      [{ whatsappTemplate: 'order_update' }, 'whatsappTemplate'],
      [{ whatsappTemplate: { ...template, name: 'Order-Update' } }, 'whatsappTemplate.name'],
      [{ whatsappTemplate: { ...template, name: 'a'.repeat(513) } }, 'whatsappTemplate.name'],
      [{ whatsappTemplate: { ...template, name: '' } }, 'whatsappTemplate.name'],
      [{ whatsappTemplate: { ...template, languageCode: 'english' } }, 'whatsappTemplate.languageCode'],
      [{ whatsappTemplate: { ...template, languageCode: 'en_us' } }, 'whatsappTemplate.languageCode'],
      [{ whatsappTemplate: { name: 'order_update' } }, 'whatsappTemplate.languageCode'],
      [{ whatsappTemplate: { ...template, body: 'Hi {{1}}' } }, 'whatsappTemplate.body'],
      [{ whatsappTemplate: null, sms: true }, 'sms'],
    ];
    for (const [body, field] of bad) {
      const res = await t
        .http()
        .put(path(fresh))
        .set(fresh.auth)
        .send(body as object)
        .expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.details.fields)).toContain(field);
    }
    await t
      .http()
      .put(path(fresh))
      .set(fresh.auth)
      .send({ whatsappTemplate: { name: 'a'.repeat(512), languageCode: 'fil' } })
      .expect(200);
    expect((await t.http().get(path(fresh)).set(member.auth).expect(200)).body.whatsappTemplate.languageCode).toBe(
      'fil',
    );
  });
});
