import pg from 'pg';
import { TenantDb } from '../../src/database/tenant-db.js';
import { InboxService, type NewInboxRow } from '../../src/modules/channels/pipeline/inbox.service.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SERVER_URL } from '../support/test-database.js';

let t: TestApp;
let graph: FakeGraphApi;
let shops: Shop[];
beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url });
  shops = [await openShop(t, graph), await openShop(t, graph), await openShop(t, graph)];
});
afterAll(async () => {
  await t.close();
  await graph.close();
});

const forCustomer = (customer: string) => (m: { to: string }) => m.to.replace('+', '') === customer;
const inboxRefs = (tenantId: string, customers: string[]) =>
  t.app
    .get(TenantDb)
    .run({ tenantId }, (tx) =>
      tx.query<{ customer_ref: string }[]>(
        `SELECT customer_ref FROM inbox_messages WHERE customer_ref = ANY($1) ORDER BY customer_ref`,
        [customers],
      ),
    )
    .then((rows) => rows.map((row) => row.customer_ref));
const textRow = (channelId: string, customerRef: string, text = 'hi'): NewInboxRow => ({
  channelId,
  providerMessageId: `wamid.${customerNumber()}${customerNumber()}`,
  customerRef,
  content: { kind: 'text', text },
  sentAt: new Date(),
});

describe('deliveries stored together', () => {
  it('stores concurrent deliveries for three businesses once each, visible only to their own business', async () => {
    const customers = shops.map(() => Array.from({ length: 20 }, customerNumber));
    const deliveries = shops.flatMap((shop, i) =>
      customers[i].map((from) => whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from, text: 'hi' }])),
    );
    // Every delivery twice, at once: Meta retrying while the first try is still being stored.
    await Promise.all([...deliveries, ...deliveries].map((delivery) => postWebhook(t, delivery).expect(200)));

    for (const [i, shop] of shops.entries()) {
      expect(await inboxRefs(shop.owner.tenantId, customers.flat())).toEqual([...customers[i]].sort());
      for (const customer of customers[i]) {
        const [reply] = await graph.waitForCount(1, forCustomer(customer), 20_000);
        expect(reply.accountId).toBe(shop.whatsapp!.phoneNumberId);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const customer of customers.flat()) expect(graph.sentTo(customer)).toHaveLength(1);
  });

  it('fails only the delivery Postgres refuses; the ones batched with it are stored', async () => {
    const inbox = t.app.get(InboxService);
    const [a, b] = shops;
    const good = [customerNumber(), customerNumber()];
    const outcomes = await Promise.allSettled([
      inbox.store(a.owner.tenantId, [textRow(a.whatsapp!.channelId, good[0])]),
      // Longer than the column allows: the parser never lets one through, but if one came, it must fail alone.
      inbox.store(b.owner.tenantId, [textRow(b.whatsapp!.channelId, 'x'.repeat(300))]),
      inbox.store(b.owner.tenantId, [textRow(b.whatsapp!.channelId, good[1])]),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await inboxRefs(a.owner.tenantId, good)).toEqual([good[0]]);
    expect(await inboxRefs(b.owner.tenantId, good)).toEqual([good[1]]);
  });

  it('takes nothing in for a channel that is gone, while the rest of the batch is stored', async () => {
    const gone = await openShop(t, graph);
    await t
      .http()
      .delete(`/v1/tenants/${gone.owner.tenantId}/channels/${gone.whatsapp!.channelId}`)
      .set(gone.owner.auth)
      .expect(204);
    const [shop] = shops;
    const customers = [customerNumber(), customerNumber()];
    // As another instance would, its routing cache not yet aware of the disconnect.
    const inbox = t.app.get(InboxService);
    const [lagging, current] = await Promise.all([
      inbox.store(gone.owner.tenantId, [textRow(gone.whatsapp!.channelId, customers[0])]),
      inbox.store(shop.owner.tenantId, [textRow(shop.whatsapp!.channelId, customers[1])]),
    ]);

    expect(lagging).toEqual([]);
    expect(current).toHaveLength(1);
    expect(await inboxRefs(gone.owner.tenantId, customers)).toEqual([]);
    expect(await inboxRefs(shop.owner.tenantId, customers)).toEqual([customers[1]]);
  });
});

describe('with Postgres unreachable', () => {
  const databaseName = () => new URL(t.databaseUrl).pathname.slice(1);
  const asAdmin = async (sql: string) => {
    const admin = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  // Only this test's own database goes away; the shared server keeps serving everyone else.
  const cutOff = () =>
    asAdmin(`ALTER DATABASE ${pg.escapeIdentifier(databaseName())} ALLOW_CONNECTIONS false;
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = ${pg.escapeLiteral(databaseName())}`);
  const restore = () => asAdmin(`ALTER DATABASE ${pg.escapeIdentifier(databaseName())} ALLOW_CONNECTIONS true`);
  afterEach(restore);

  it('answers 503 so Meta retries, and stores and answers the retried delivery once Postgres is back', async () => {
    const [shop] = shops;
    const customer = customerNumber();
    const delivery = whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from: customer, text: 'hi' }]);
    // The account's route is cached, as it is on a busy webhook: only the inbox needs Postgres.
    await postWebhook(t, whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from: customerNumber(), text: 'hi' }]));
    await cutOff();

    const refused = await postWebhook(t, delivery).expect(503);
    expect(refused.body.error.code).toBe('database_unavailable');
    // An account not in the routing cache cannot be told apart from an unknown one: retry too.
    const unrouted = await postWebhook(t, whatsappDelivery('987654321', [{ from: customer, text: 'hi' }])).expect(503);
    expect(unrouted.body.error.code).toBe('database_unavailable');

    await restore();
    await postWebhook(t, delivery).expect(200);
    await graph.waitForCount(1, forCustomer(customer), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.sentTo(customer)).toHaveLength(1);
  });
});
