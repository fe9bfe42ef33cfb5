import http from 'node:http';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { startSmtpSink, type SmtpSink } from '../fakes/smtp-sink.js';
import { addMember, type Account } from '../support/fixtures.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let graph: FakeGraphApi;
let smtp: SmtpSink;
beforeAll(async () => {
  graph = await startFakeGraphApi();
  smtp = await startSmtpSink();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url, SMTP_URL: smtp.url, STAFF_ALERT_DELAY_MS: '500' });
});
afterAll(async () => {
  await t.close();
  await graph.close();
  await smtp.close();
});

/** Reads a tenant's server-sent events as a staff client would, collecting the events. */
async function openStream(account: Account) {
  const events: { type: string; conversationId: string }[] = [];
  const { port } = new URL(t.url);
  const request = http.request({
    host: '127.0.0.1',
    port,
    path: `/v1/tenants/${account.tenantId}/events`,
    headers: account.auth,
  });
  const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
    request.on('response', resolve).on('error', reject).end(),
  );
  expect(response.statusCode).toBe(200);
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const data = buffer
        .slice(0, end)
        .split('\n')
        .find((line) => line.startsWith('data: '));
      buffer = buffer.slice(end + 2);
      if (data) events.push((JSON.parse(data.slice(6)) as { event: { type: string; conversationId: string } }).event);
    }
  });
  response.on('error', () => undefined);
  return { events, close: () => request.destroy() };
}

const waitUntil = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};

const say = (shop: Shop, from: string, text: string) =>
  postWebhook(t, whatsappDelivery(shop.whatsapp!.phoneNumberId, [{ from, text }])).expect(200);
const repliesTo = (customer: string, n: number) =>
  graph.waitForCount(n, (m) => m.to.replace('+', '') === customer, 10_000);

describe('a customer asking for a person', () => {
  it('shows up for staff live and in the inbox, and e-mails the team when nobody takes it', async () => {
    const shop = await openShop(t, graph);
    const stream = await openStream(shop.owner);
    const customer = customerNumber();
    await say(shop, customer, 'human');
    await repliesTo(customer, 1);
    await waitUntil(() => stream.events.some((e) => e.type === 'conversation.escalated'));
    const inbox = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/inbox?mode=escalated`)
      .set(shop.owner.auth)
      .expect(200);
    expect(inbox.body.items).toHaveLength(1);
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toContain('waiting');
    expect(mail.text).not.toContain(customer);
    stream.close();
  });

  it('goes to an available staff member, whose reply reaches the customer while the bot stays quiet, until it returns to the bot', async () => {
    const shop = await openShop(t, graph);
    const staff = await addMember(t, shop.owner, 'staff');
    await t
      .http()
      .put(`/v1/tenants/${shop.owner.tenantId}/me/availability`)
      .set(staff.auth)
      .send({ status: 'available' })
      .expect(200);
    const customer = customerNumber();
    await say(shop, customer, 'human');
    await repliesTo(customer, 1);
    let conversationId = '';
    await waitUntil(async () => {
      const mine = await t
        .http()
        .get(`/v1/tenants/${shop.owner.tenantId}/inbox?assignee=me`)
        .set(staff.auth)
        .expect(200);
      conversationId = mine.body.items[0]?.id ?? '';
      return conversationId !== '';
    });
    await t
      .http()
      .post(`/v1/tenants/${shop.owner.tenantId}/conversations/${conversationId}/messages`)
      .set(staff.auth)
      .send({ text: 'Hello, this is Bola. How can I help?' })
      .expect(201);
    const [, staffReply] = await repliesTo(customer, 2);
    expect(staffReply.text).toBe('Hello, this is Bola. How can I help?');

    await say(shop, customer, 'menu');
    await new Promise((r) => setTimeout(r, 800));
    expect(graph.sentTo(customer)).toHaveLength(2);

    await t
      .http()
      .post(`/v1/tenants/${shop.owner.tenantId}/conversations/${conversationId}/return-to-bot`)
      .set(staff.auth)
      .expect(200);
    await say(shop, customer, 'menu');
    const [, , menu] = await repliesTo(customer, 3);
    expect(JSON.stringify(menu.body)).toContain('Jollof Rice');
    // Assigned at once: no alert goes out for this escalation.
    await new Promise((r) => setTimeout(r, 800));
    expect(smtp.messages.filter((m) => m.to.includes(staff.email) || m.to.includes(shop.owner.email))).toHaveLength(0);
  });
});
