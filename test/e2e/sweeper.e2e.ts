import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { SweeperService } from '../../src/modules/channels/pipeline/sweeper.service.js';
import { Queues } from '../../src/queues/queue-names.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let graph: FakeGraphApi;
let shop: Shop;
beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url });
  shop = await openShop(t, graph);
});
afterAll(async () => {
  await t.close();
  await graph.close();
});

/** As the table's owner, pinned to the shop: row-level security is forced even for the owner. */
const backdateUnprocessed = () =>
  t.dataSource.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [shop.owner.tenantId]);
    const [, updated] = await tx.query(
      `UPDATE inbox_messages SET received_at = now() - interval '1 minute' WHERE processed_at IS NULL`,
    );
    expect(updated).toBe(1);
  });

// The sweep runs on its own timer too; calling a pass directly makes this test not wait for it.
const sweepOnce = () => t.app.get<SweeperService, { pass(): Promise<unknown> }>(SweeperService).pass();

describe('the pipeline sweeper', () => {
  it('leaves a late message whose job is still queued alone, and it is answered once', async () => {
    const inbound = t.app.get<Queue>(getQueueToken(Queues.inbound));
    await inbound.pause(true);
    const customer = customerNumber();
    try {
      await postWebhook(t, whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from: customer, text: 'menu' }])).expect(
        200,
      );
      // Old enough to look stale: a backlog makes every waiting row look like this.
      await backdateUnprocessed();
      await sweepOnce();
      const waiting = (await inbound.getWaiting()).map((job) => String(job.id));
      expect(waiting.filter((id) => id.includes(':sweep:'))).toEqual([]);
      expect(waiting).toHaveLength(1);
    } finally {
      await inbound.resume(true);
    }
    await graph.waitForCount(1, (m) => m.to.replace('+', '') === customer, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.sentTo(customer)).toHaveLength(1);
  });

  it('queues a stale message again when its job is gone', async () => {
    const inbound = t.app.get<Queue>(getQueueToken(Queues.inbound));
    await inbound.pause(true);
    const customer = customerNumber();
    try {
      await postWebhook(t, whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from: customer, text: 'menu' }])).expect(
        200,
      );
      await backdateUnprocessed();
      // As if Redis had restarted empty.
      await inbound.empty();
      await sweepOnce();
      const waiting = (await inbound.getWaiting()).map((job) => String(job.id));
      expect(waiting).toHaveLength(1);
      expect(waiting[0]).toContain(':sweep:');
    } finally {
      await inbound.resume(true);
    }
    await graph.waitForCount(1, (m) => m.to.replace('+', '') === customer, 10_000);
  });
});
