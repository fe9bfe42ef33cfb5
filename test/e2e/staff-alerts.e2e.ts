import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { TenantDb } from '../../src/database/tenant-db.js';
import { ConversationEventsPublisher } from '../../src/modules/conversations/events/conversation-events.publisher.js';
import type { StaffAlertJob } from '../../src/modules/notifications/staff-alerts/staff-alert.job.js';
import { Queues } from '../../src/queues/queue-names.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { startSmtpSink, type SmtpSink } from '../fakes/smtp-sink.js';
import { addMember, type Account } from '../support/fixtures.js';
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
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, SMTP_URL: sink.url, STAFF_ALERT_DELAY_MS: '300' });
  shop = await openShop(t, graph);
  staff = await addMember(t, shop.owner, 'staff');
  tenantDb = t.app.get(TenantDb);
});
afterAll(async () => {
  await t.close();
  await graph.close();
  await sink.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const scope = () => ({ tenantId: shop.owner.tenantId });

/** The customer asks for a person; resolves with their conversation once the bot escalated it. */
async function askForAPerson(customer: string): Promise<string> {
  await postWebhook(
    t,
    whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from: customer, text: 'talk to a real person' }]),
  ).expect(200);
  for (let i = 0; i < 250; i++) {
    const [row] = await tenantDb.run(scope(), (tx) =>
      tx.query<{ id: string; mode: string }[]>(
        `SELECT c.id, c.mode FROM conversations c JOIN contacts k ON k.tenant_id = c.tenant_id AND k.id = c.contact_id
          WHERE c.tenant_id = $1 AND k.external_ref = $2`,
        [scope().tenantId, customer],
      ),
    );
    if (row?.mode === 'escalated') {
      // Until the engine announces escalations itself; a repeat of the same escalation is a no-op.
      await t.app
        .get(ConversationEventsPublisher)
        .publish(scope().tenantId, [{ type: 'conversation.escalated', conversationId: row.id }]);
      return row.id;
    }
    await sleep(20);
  }
  throw new Error('the conversation was never escalated');
}

async function alertJobSettled(conversationId: string): Promise<void> {
  const queue = t.app.get<Queue<StaffAlertJob>>(getQueueToken(Queues.notifications));
  for (let i = 0; i < 250; i++) {
    const jobs = await queue.getJobs(['completed', 'failed']);
    if (jobs.some((job) => job?.data.conversationId === conversationId)) return;
    await sleep(20);
  }
  throw new Error('the staff alert job never ran');
}

const about = (conversationId: string) => (m: { text: string }) => m.text.includes(conversationId);

describe('staff alerts for escalated conversations', () => {
  it('e-mails the business’s members when a customer waits unassigned, once, without what they wrote', async () => {
    const customer = customerNumber();
    const conversationId = await askForAPerson(customer);

    const [mail] = await sink.waitFor(1, about(conversationId));
    expect([...mail.to].sort()).toEqual([shop.owner.email, staff.email].sort());
    expect(mail.subject).toBe(`A customer is waiting: Shop ${shop.owner.email}`);
    expect(mail.text).toContain(
      `${t.config.http.publicBaseUrl}/v1/tenants/${shop.owner.tenantId}/conversations/${conversationId}`,
    );
    expect(mail.text).not.toContain('real person');
    expect(mail.text).not.toContain(customer);
    // Recipients are blind-copied: nobody's address is in the headers.
    expect(mail.headers.to).toBeUndefined();

    const audit = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/audit-log?action=notification.staff_alerted`)
      .set(shop.owner.auth)
      .expect(200);
    const entries = (audit.body.items as { targetId: string; details: object }[]).filter(
      (e) => e.targetId === conversationId,
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].details).toEqual({ kind: 'escalation_unassigned', recipients: 2 });
    expect(JSON.stringify(entries[0].details)).not.toContain('@');

    // The same escalation announced again schedules nothing new.
    await t.app
      .get(ConversationEventsPublisher)
      .publish(shop.owner.tenantId, [{ type: 'conversation.escalated', conversationId }]);
    await sleep(1000);
    expect(sink.messages.filter(about(conversationId))).toHaveLength(1);
  });

  it('sends nothing when a staff member takes the conversation before the delay', async () => {
    const customer = customerNumber();
    const conversationId = await askForAPerson(customer);
    await tenantDb.run(scope(), (tx) =>
      tx.query(`UPDATE conversations SET assignee_id = $3, mode = 'human' WHERE tenant_id = $1 AND id = $2`, [
        scope().tenantId,
        conversationId,
        staff.userId,
      ]),
    );

    await alertJobSettled(conversationId);
    expect(sink.messages.filter(about(conversationId))).toHaveLength(0);
  });
});
