import { TenantDb } from '../../src/database/tenant-db.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { PrivateRedis } from '../support/private-redis.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let graph: FakeGraphApi;
let redis: PrivateRedis;
let shop: Shop;
beforeAll(async () => {
  redis = await PrivateRedis.start();
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, REDIS_URL: redis.url });
  shop = await openShop(t, graph);
});
afterAll(async () => {
  await redis.resume();
  await t.close();
  await graph.close();
  await redis.stop();
}, 60_000);

describe('with Redis down', () => {
  it('still acknowledges webhooks and keeps the messages, then answers each exactly once when Redis returns', async () => {
    const customers = Array.from({ length: 5 }, customerNumber);
    await redis.stop();
    for (const customer of customers) {
      const started = Date.now();
      await postWebhook(t, whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from: customer, text: 'hi' }])).expect(
        200,
      );
      expect(Date.now() - started).toBeLessThan(5000);
    }
    const [{ count }] = await t.app
      .get(TenantDb)
      .run({ tenantId: shop.owner.tenantId }, (tx) =>
        tx.query<{ count: number }[]>(
          `SELECT count(*)::int AS count FROM inbox_messages WHERE customer_ref = ANY($1)`,
          [customers],
        ),
      );
    expect(count).toBe(5);
    expect(graph.sent).toHaveLength(0);

    await redis.resume();
    for (const customer of customers) {
      await graph.waitForCount(1, (m) => m.to.replace('+', '') === customer, 45_000);
    }
    await new Promise((r) => setTimeout(r, 6000));
    for (const customer of customers) expect(graph.sentTo(customer)).toHaveLength(1);
  }, 90_000);
});
