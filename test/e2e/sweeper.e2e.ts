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

/**
 * With this process's inbound worker paused, a customer writes and the row is made to look
 * stale; `whileWaiting` runs against the queue, then the worker resumes. Returns the customer.
 */
async function lateMessage(whileWaiting: (inbound: Queue) => Promise<void>): Promise<string> {
  const inbound = t.app.get<Queue>(getQueueToken(Queues.inbound));
  const customer = customerNumber();
  await inbound.pause(true);
  try {
    await postWebhook(t, whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from: customer, text: 'menu' }])).expect(
      200,
    );
    // Old enough to look stale: a backlog makes every waiting row look like this.
    await backdateUnprocessed();
    await whileWaiting(inbound);
  } finally {
    await inbound.resume(true);
  }
  return customer;
}

const waitingJobIds = async (inbound: Queue) => (await inbound.getWaiting()).map((job) => String(job.id));

describe('the pipeline sweeper', () => {
  it('leaves a late message whose job is still queued alone, and it is answered once', async () => {
    const customer = await lateMessage(async (inbound) => {
      await sweepOnce();
      expect(await waitingJobIds(inbound)).toEqual([expect.not.stringContaining(':sweep:')]);
    });
    await graph.waitForCount(1, (m) => m.to.replace('+', '') === customer, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.sentTo(customer)).toHaveLength(1);
  });

  it('queues a stale message again when its job is gone', async () => {
    const customer = await lateMessage(async (inbound) => {
      // As if Redis had restarted empty.
      await inbound.empty();
      await sweepOnce();
      expect(await waitingJobIds(inbound)).toEqual([expect.stringContaining(':sweep:')]);
    });
    await graph.waitForCount(1, (m) => m.to.replace('+', '') === customer, 10_000);
  });
});
