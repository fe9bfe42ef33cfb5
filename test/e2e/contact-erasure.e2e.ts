import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TenantDb } from '../../src/database/tenant-db.js';
import { PRIVACY_TABLES } from '../../src/modules/privacy/requests/privacy-tables.js';
import { startFakeGraphApi, type FakeGraphApi, type RecordedMessage } from '../fakes/fake-graph-api.js';
import { asOwner } from '../support/as-owner.js';
import type { Account } from '../support/fixtures.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let graph: FakeGraphApi;
let exportDir: string;
beforeAll(async () => {
  graph = await startFakeGraphApi();
  exportDir = await mkdtemp(join(tmpdir(), 'hawker-exports-'));
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, PRIVACY_EXPORT_DIR: exportDir });
});
afterAll(async () => {
  await t.close();
  await graph.close();
  await rm(exportDir, { recursive: true, force: true });
});

/** A WhatsApp customer whose every detail (profile name included) is unique, so the database can be searched for it. */
interface Customer {
  number: string;
  profileName: string;
  name: string;
  address: string;
  greeting: string;
  say(text: string): Promise<RecordedMessage>;
}

function customer(shop: Shop): Customer {
  const tag = randomUUID().slice(0, 8);
  const number = customerNumber();
  const profileName = `Profile${tag}`;
  return {
    number,
    profileName,
    name: `Zainab ${tag}`,
    address: `${tag} Awolowo Road, Ikoyi`,
    greeting: `Good morning, I saw your ad ${tag}`,
    say: async (text) => {
      const before = graph.sentTo(number).length;
      const delivery = whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from: number, text, name: profileName }]);
      await postWebhook(t, delivery).expect(200);
      const sent = await graph.waitForCount(before + 1, (m) => m.to.replace('+', '') === number, 10_000);
      return sent[before];
    },
  };
}

async function buyInChat(who: Customer): Promise<void> {
  await who.say(who.greeting);
  expect((await who.say('add 1 2')).text).toContain('5,000');
  expect((await who.say('checkout')).text).toMatch(/What name/);
  expect((await who.say(who.name)).text).toMatch(/phone number/);
  expect((await who.say(`+${who.number}`)).text).toMatch(/deliver/i);
  expect((await who.say(who.address)).text).toMatch(/Total: ₦5,000/);
  expect((await who.say('confirm')).text).toMatch(/Order #\d+ is placed/);
}

const api = (account: Account, path: string) =>
  t.http().get(`/v1/tenants/${account.tenantId}${path}`).set(account.auth).expect(200);

async function contactsOf(shop: Shop): Promise<{ id: string; externalRef: string; displayName: string | null }[]> {
  return (await api(shop.owner, '/contacts')).body.items;
}

interface OrderView {
  id: string;
  number: number;
  contactId: string;
  totalMinor: number;
  delivery: Record<string, unknown>;
}

async function confirmOrderOf(shop: Shop, contactId: string): Promise<OrderView> {
  const order = ((await api(shop.owner, '/orders')).body.items as OrderView[]).find((o) => o.contactId === contactId)!;
  await t
    .http()
    .post(`/v1/tenants/${shop.owner.tenantId}/orders/${order.id}/transitions`)
    .set(shop.owner.auth)
    .send({ to: 'confirmed' })
    .expect(200);
  return order;
}

async function request(
  shop: Shop,
  body: object,
): Promise<{ id: string; status: string; result: Record<string, unknown> }> {
  const created = await t
    .http()
    .post(`/v1/tenants/${shop.owner.tenantId}/privacy-requests`)
    .set(shop.owner.auth)
    .send(body)
    .expect(202);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const view = (await api(shop.owner, `/privacy-requests/${created.body.id}`)).body;
    if (view.status === 'done' || view.status === 'failed') return view;
    if (Date.now() > deadline) throw new Error(`Request still ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Paystack's copy of the payer, as a webhook about the order's payment would have stored it. */
async function storePaystackEvent(shop: Shop, orderId: string, payer: Customer): Promise<string> {
  const reference = `ref-${randomUUID()}`;
  await asOwner(
    t,
    `INSERT INTO payment_attempts (tenant_id, order_id, provider, reference, amount_minor, currency, authorization_url)
     VALUES ($1, $2, 'paystack', $3, 500000, 'NGN', 'https://checkout.paystack.com/abc')`,
    [shop.owner.tenantId, orderId, reference],
  );
  const data = {
    reference,
    amount: 500000,
    customer: { first_name: payer.name, phone: `+${payer.number}`, customer_code: 'CUS_x1' },
    authorization: { last4: '4081', account_name: payer.name },
  };
  await asOwner(
    t,
    `INSERT INTO payment_events (tenant_id, provider, event, dedupe_key, reference, payload, status, processed_at)
     VALUES ($1, 'paystack', 'charge.success', $2, $3, $4, 'applied', now())`,
    [shop.owner.tenantId, `charge.success:${reference}`, reference, JSON.stringify({ event: 'charge.success', data })],
  );
  return reference;
}

/** Every text, character, JSON and array column of every table in the schema that holds one of `needles`. */
async function columnsHolding(needles: string[]): Promise<string[]> {
  const columns = await asOwner<{ table_name: string; column_name: string }[]>(
    t,
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
      WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`,
  );
  expect(columns.length).toBeGreaterThan(50);
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [{ n }] = await asOwner<{ n: number }[]>(
      t,
      `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE ANY ($1::text[])`,
      [needles.map((needle) => `%${needle}%`)],
    );
    if (n > 0) hits.push(`${table}.${column}`);
  }
  return hits;
}

describe('erasure of a contact', () => {
  it('knows what to do with every table that holds a tenant’s rows', async () => {
    const tables = await asOwner<{ table_name: string }[]>(
      t,
      `SELECT DISTINCT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
        WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE'`,
    );
    const mapped = new Set(PRIVACY_TABLES.map((entry) => entry.table));
    expect(tables.map((row) => row.table_name).filter((table) => !mapped.has(table))).toEqual([]);
    // And no entry names a table that is not there, or a cascade from a table erasure does not delete from.
    const [{ missing }] = await asOwner<{ missing: string[] }[]>(
      t,
      `SELECT coalesce(array_agg(name), '{}') AS missing FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL`,
      [[...mapped]],
    );
    expect(missing).toEqual([]);
    for (const entry of PRIVACY_TABLES) {
      if (entry.erasure.action !== 'removed_with') continue;
      const parent = PRIVACY_TABLES.find((other) => other.table === (entry.erasure as { parent: string }).parent);
      expect({ table: entry.table, parent: parent?.erasure.action }).toEqual({ table: entry.table, parent: 'delete' });
    }
  });

  it('leaves no trace of the customer in any table, keeps the orders and invoices, and happens once', async () => {
    const shop = await openShop(t, graph);
    const [zainab, other] = [customer(shop), customer(shop)];
    await buyInChat(zainab);
    await buyInChat(other);
    const contacts = await contactsOf(shop);
    const zainabId = contacts.find((c) => c.externalRef === zainab.number)!.id;
    const otherId = contacts.find((c) => c.externalRef === other.number)!.id;
    const order = await confirmOrderOf(shop, zainabId);
    const otherOrder = await confirmOrderOf(shop, otherId);
    const invoices = (await api(shop.owner, '/invoices')).body.items as {
      id: string;
      orderId: string;
      number: string;
    }[];
    const invoice = invoices.find((i) => i.orderId === order.id)!;
    const reference = await storePaystackEvent(shop, order.id, zainab);
    // An earlier export of the customer holds what is about to be erased.
    const earlier = await request(shop, { type: 'export', contactId: zainabId });
    expect(earlier.status).toBe('done');
    const needles = [zainab.number, zainab.profileName, zainab.name, zainab.address, zainab.greeting];
    expect(await columnsHolding(needles)).toEqual(
      expect.arrayContaining([
        'contacts.external_ref',
        'messages.body',
        'orders.delivery',
        'invoices.customer_name',
        'payment_events.payload',
      ]),
    );

    const erasure = await request(shop, { type: 'erasure', contactId: zainabId });
    expect(erasure).toMatchObject({ status: 'done', result: { erased: true, exportsRemoved: 1 } });

    expect(await columnsHolding(needles)).toEqual([]);
    expect(await readdir(join(exportDir, shop.owner.tenantId))).not.toContain(`${earlier.id}.zip`);
    // What the business must keep is still there, totals and numbers unchanged, pseudonymised.
    const kept = (await api(shop.owner, `/orders/${order.id}`)).body as OrderView;
    expect(kept).toMatchObject({ number: order.number, totalMinor: 500_000 });
    expect(kept.delivery).toEqual({
      name: expect.stringMatching(/^Erased customer [0-9a-f]{8}$/),
      phone: '[erased]',
      address: '[erased]',
    });
    expect((await api(shop.owner, `/invoices/${invoice.id}`)).body).toMatchObject({
      number: invoice.number,
      totalMinor: 500_000,
      customer: { name: kept.delivery.name, phone: '[erased]', address: '[erased]' },
    });
    const pdf = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/invoices/${invoice.id}/pdf`)
      .set(shop.owner.auth)
      .buffer(true)
      .expect(200);
    expect(pdf.body.subarray(0, 4).toString()).toBe('%PDF');
    const [event] = await asOwner<{ payload: { data: Record<string, Record<string, unknown>> } }[]>(
      t,
      `SELECT payload FROM payment_events WHERE reference = $1`,
      [reference],
    );
    expect(event.payload.data).toMatchObject({ reference, amount: 500000, customer: { customer_code: 'CUS_x1' } });
    // The grants that allowed this allow nothing else: an invoice cannot be made out to someone else.
    await expect(
      t.app
        .get(TenantDb)
        .run(shop.owner, (tx) =>
          tx.query(`UPDATE invoices SET customer_name = 'Someone Else' WHERE tenant_id = $1 AND id = $2`, [
            shop.owner.tenantId,
            invoice.id,
          ]),
        ),
    ).rejects.toThrow(/may only be pseudonymised/);
    await expect(
      t.app
        .get(TenantDb)
        .run(shop.owner, (tx) =>
          tx.query(`UPDATE payment_events SET payload = '{}'::jsonb WHERE tenant_id = $1 AND reference = $2`, [
            shop.owner.tenantId,
            reference,
          ]),
        ),
    ).rejects.toThrow(/may only be scrubbed/);
    // The other customer is untouched.
    expect((await api(shop.owner, `/orders/${otherOrder.id}`)).body.delivery).toMatchObject({ name: other.name });
    const contact = (await api(shop.owner, `/contacts/${zainabId}`)).body;
    expect(contact).toMatchObject({ displayName: null, phone: null, externalRef: `erased:${zainabId}` });
    const [{ identities }] = await asOwner<{ identities: number }[]>(
      t,
      `SELECT count(*)::int AS identities FROM erased_identities WHERE tenant_id = $1`,
      [shop.owner.tenantId],
    );
    expect(identities).toBe(1);

    // A second erasure changes nothing.
    const snapshot = () =>
      asOwner(
        t,
        `SELECT (SELECT json_agg(o ORDER BY o.id) FROM orders o WHERE o.tenant_id = $1) AS orders,
                (SELECT json_agg(i ORDER BY i.id) FROM invoices i WHERE i.tenant_id = $1) AS invoices,
                (SELECT json_agg(c ORDER BY c.id) FROM contacts c WHERE c.tenant_id = $1) AS contacts,
                (SELECT count(*) FROM messages WHERE tenant_id = $1) AS messages`,
        [shop.owner.tenantId],
      );
    const before = await snapshot();
    const again = await request(shop, { type: 'erasure', contactId: zainabId });
    expect(again).toMatchObject({ status: 'done', result: { erased: false, reason: 'already_erased' } });
    expect(again.id).not.toBe(erasure.id);
    expect(await snapshot()).toEqual(before);
    const audit = (await api(shop.owner, '/audit-log')).body.items as { action: string; targetId: string }[];
    expect(audit.filter((e) => e.action === 'privacy.contact_erased').map((e) => e.targetId)).toEqual([zainabId]);
    expect(audit.filter((e) => e.action === 'privacy.erasure_noop').map((e) => e.targetId)).toEqual([zainabId]);

    // Nothing is left to export.
    const exportAfter = await t
      .http()
      .post(`/v1/tenants/${shop.owner.tenantId}/privacy-requests`)
      .set(shop.owner.auth)
      .send({ type: 'export', contactId: zainabId })
      .expect(409);
    expect(exportAfter.body.error.code).toBe('contact_erased');

    // Writing again, the customer starts afresh: a new contact, with no history.
    const reply = await zainab.say('Hi again');
    expect(reply.text).toBeTruthy();
    const now = await contactsOf(shop);
    const fresh = now.find((c) => c.externalRef === zainab.number)!;
    expect(fresh.id).not.toBe(zainabId);
    const [{ messages }] = await asOwner<{ messages: number }[]>(
      t,
      `SELECT count(*)::int AS messages FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE c.contact_id = $1 AND m.direction = 'in'`,
      [fresh.id],
    );
    expect(messages).toBe(1);
  });
});
