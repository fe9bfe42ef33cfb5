import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportLinkSigner } from '../../src/modules/privacy/requests/export-link-signer.js';
import { ExportExpiry } from '../../src/modules/privacy/retention/export-expiry.service.js';
import { MessageRetention } from '../../src/modules/privacy/retention/message-retention.service.js';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/fake-graph-api.js';
import { asOwner } from '../support/as-owner.js';
import { addMember, signUp, type Account } from '../support/fixtures.js';
import { customerNumber, openShop, type Shop } from '../support/shop.js';
import { zipEntries } from '../support/zip-entries.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { whatsappCustomer, type WhatsAppCustomer } from '../support/whatsapp-customer.js';

let t: TestApp;
let graph: FakeGraphApi;
let exportDir: string;
beforeAll(async () => {
  graph = await startFakeGraphApi();
  exportDir = await mkdtemp(join(tmpdir(), 'hawker-exports-'));
  t = await startTestApp({
    META_GRAPH_BASE_URL: graph.url,
    PRIVACY_EXPORT_DIR: exportDir,
    MESSAGE_RETENTION_DAYS: '30',
  });
});
afterAll(async () => {
  await t.close();
  await graph.close();
  await rm(exportDir, { recursive: true, force: true });
});

interface RequestView {
  id: string;
  type: string;
  subject: string;
  contactId: string | null;
  status: string;
  progress: number;
  finishedAt: string | null;
  expiresAt: string | null;
  downloadUrl: string | null;
  result: Record<string, unknown>;
}

/** A customer who buys in chat; every string is unique to them, so an archive can be searched for it. */
interface Buyer {
  chat: WhatsAppCustomer;
  tag: string;
  name: string;
  address: string;
  greeting: string;
}

function buyer(shop: Shop): Buyer {
  const tag = randomUUID().slice(0, 8);
  return {
    chat: whatsappCustomer(t, graph, shop, customerNumber()),
    tag,
    name: `Buyer ${tag}`,
    address: `${tag} Marina Road, Lagos`,
    greeting: `Hello, this is ${tag} asking about jollof`,
  };
}

/** Says hello, then orders two of the first item and confirms, giving their own number. */
async function buyInChat(who: Buyer): Promise<void> {
  await who.chat.say(who.greeting);
  expect((await who.chat.say('add 1 2')).text).toContain('5,000');
  expect((await who.chat.say('checkout')).text).toMatch(/What name/);
  expect((await who.chat.say(who.name)).text).toMatch(/phone number/);
  expect((await who.chat.say(`+${who.chat.number}`)).text).toMatch(/deliver/i);
  expect((await who.chat.say(who.address)).text).toMatch(/Total: ₦5,000/);
  expect((await who.chat.say('confirm')).text).toMatch(/Order #\d+ is placed/);
}

async function contactOf(shop: Shop, who: Buyer): Promise<string> {
  const res = await t
    .http()
    .get(`/v1/tenants/${shop.owner.tenantId}/contacts`)
    .query({ q: who.chat.number })
    .set(shop.owner.auth)
    .expect(200);
  const [contact] = res.body.items as { id: string }[];
  return contact.id;
}

/** Confirms the buyer's order as staff, which issues its invoice; returns the invoice number. */
async function confirmOrder(shop: Shop, contactId: string): Promise<string> {
  const { tenantId } = shop.owner;
  const orders = (await t.http().get(`/v1/tenants/${tenantId}/orders`).set(shop.owner.auth).expect(200)).body.items as {
    id: string;
    contactId: string;
  }[];
  const order = orders.find((o) => o.contactId === contactId)!;
  await t
    .http()
    .post(`/v1/tenants/${tenantId}/orders/${order.id}/transitions`)
    .set(shop.owner.auth)
    .send({ to: 'confirmed' })
    .expect(200);
  const invoices = (await t.http().get(`/v1/tenants/${tenantId}/invoices`).set(shop.owner.auth).expect(200)).body
    .items as { orderId: string; number: string }[];
  return invoices.find((i) => i.orderId === order.id)!.number;
}

function requestPrivacy(account: Account, body: object) {
  return t.http().post(`/v1/tenants/${account.tenantId}/privacy-requests`).set(account.auth).send(body);
}

async function finished(account: Account, id: string, timeoutMs = 30_000): Promise<RequestView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http().get(`/v1/tenants/${account.tenantId}/privacy-requests/${id}`).set(account.auth);
    expect(res.status).toBe(200);
    const view = res.body as RequestView;
    if (['done', 'failed'].includes(view.status)) return view;
    if (Date.now() > deadline) throw new Error(`Request ${id} still ${view.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Fetches a link the API gave out, from the test server (PUBLIC_BASE_URL names no port in tests). */
async function download(url: string, account: Account, headers: Record<string, string> = {}) {
  const { pathname, search } = new URL(url);
  const res = await fetch(`${t.url}${pathname}${search}`, { headers: { ...account.auth, ...headers } });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) };
}

const rowsOf = (entries: Map<string, Buffer>, name: string) =>
  JSON.parse(entries.get(name)!.toString('utf8')) as Record<string, unknown>[];

describe('privacy requests', () => {
  it('exports one contact: their messages, orders and invoice (PDF included), nothing of anyone else', async () => {
    const shop = await openShop(t, graph);
    const other = await openShop(t, graph);
    const [alice, bob, carol] = [buyer(shop), buyer(shop), buyer(other)];
    await buyInChat(alice);
    await buyInChat(bob);
    await buyInChat(carol);
    const [aliceId, bobId, carolId] = await Promise.all([
      contactOf(shop, alice),
      contactOf(shop, bob),
      contactOf(other, carol),
    ]);
    const aliceInvoice = await confirmOrder(shop, aliceId);
    await confirmOrder(shop, bobId);
    await confirmOrder(other, carolId);

    const created = await requestPrivacy(shop.owner, { type: 'export', contactId: aliceId }).expect(202);
    expect(created.body).toMatchObject({ id: expect.any(String), status: 'queued', subject: 'contact' });
    const done = await finished(shop.owner, created.body.id);
    expect(done).toMatchObject({ status: 'done', progress: 100, contactId: aliceId });
    const ttl = new Date(done.expiresAt!).getTime() - new Date(done.finishedAt!).getTime();
    expect(Math.abs(ttl - 24 * 3600_000)).toBeLessThan(5_000);

    const res = await download(done.downloadUrl!, shop.owner);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const entries = await zipEntries(res.body);
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'contacts.json',
        'conversations.json',
        'messages.json',
        'orders.json',
        'order_items.json',
        'invoices.json',
        'invoice_lines.json',
        'payment_transactions.json',
        `invoices/${aliceInvoice}.pdf`,
      ]),
    );
    expect(rowsOf(entries, 'contacts.json').map((c) => c.id)).toEqual([aliceId]);
    expect(rowsOf(entries, 'messages.json').map((m) => m.body)).toContain(alice.greeting);
    const [order] = rowsOf(entries, 'orders.json');
    expect(order).toMatchObject({ contact_id: aliceId, total_minor: 500_000 });
    expect(order.delivery).toMatchObject({ name: alice.name, phone: `+${alice.chat.number}` });
    expect(rowsOf(entries, 'invoices.json').map((i) => i.number)).toEqual([aliceInvoice]);
    expect(entries.get(`invoices/${aliceInvoice}.pdf`)!.subarray(0, 4).toString()).toBe('%PDF');
    expect(JSON.parse(entries.get('manifest.json')!.toString())).toMatchObject({
      subject: { type: 'contact', contactId: aliceId },
      rows: expect.objectContaining({ messages: expect.any(Number), invoices: 1 }),
      files: { invoices: 1 },
    });
    // Nothing of the other customer, nor of the other business.
    const everything = [...entries.values()].map((b) => b.toString('latin1')).join('\n');
    expect(everything).toContain(alice.tag);
    for (const absent of [bob.tag, bob.chat.number, bobId, carol.tag, carol.chat.number, other.owner.tenantId])
      expect(everything).not.toContain(absent);
  });

  it('exports a whole business without its secrets', async () => {
    const shop = await openShop(t, graph);
    const alice = buyer(shop);
    await buyInChat(alice);
    const created = await requestPrivacy(shop.owner, { type: 'export' }).expect(202);
    expect(created.body).toMatchObject({ subject: 'tenant', contactId: null });
    const done = await finished(shop.owner, created.body.id);
    const entries = await zipEntries((await download(done.downloadUrl!, shop.owner)).body);
    expect(rowsOf(entries, 'tenants.json').map((row) => row.id)).toEqual([shop.owner.tenantId]);
    expect(rowsOf(entries, 'products.json')).toHaveLength(3);
    const [channel] = rowsOf(entries, 'channels.json');
    expect(channel).toMatchObject({ id: shop.whatsapp!.channelId });
    expect(channel).not.toHaveProperty('access_token_sealed');
    const everything = [...entries.values()].map((b) => b.toString('latin1')).join('\n');
    expect(everything).toContain(alice.greeting);
    expect(everything).not.toContain(shop.whatsapp!.accessToken);
  });

  it('offers the archive only to an owner or admin holding the signed, unexpired link', async () => {
    const shop = await openShop(t, graph);
    const admin = await addMember(t, shop.owner, 'admin');
    const staff = await addMember(t, shop.owner, 'staff');
    const stranger = await signUp(t);
    const { tenantId } = shop.owner;
    const done = await finished(shop.owner, (await requestPrivacy(shop.owner, { type: 'export' }).expect(202)).body.id);
    const url = new URL(done.downloadUrl!);
    const token = url.searchParams.get('token')!;

    const byAdmin = await download(url.toString(), admin, { 'user-agent': 'privacy-test-agent/1.0' });
    expect(byAdmin.status).toBe(200);
    expect((await download(url.toString(), staff)).status).toBe(403);
    // Another business's owner: the tenant is not theirs, and their own tenant has no such request.
    expect((await download(url.toString(), stranger)).status).toBe(404);
    const theirs = new URL(url.toString().replace(tenantId, stranger.tenantId));
    expect((await download(theirs.toString(), stranger)).status).toBe(404);

    const tampered = new URL(url);
    tampered.searchParams.set('token', `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`);
    const forged = await download(tampered.toString(), shop.owner);
    expect(forged.status).toBe(404);

    const expiredToken = t.app
      .get(ExportLinkSigner)
      .sign({ tenantId, requestId: done.id }, new Date(Date.now() - 1000));
    const expired = new URL(url);
    expired.searchParams.set('token', expiredToken);
    const late = await download(expired.toString(), shop.owner);
    expect(late.status).toBe(410);
    expect(late.json().error.code).toBe('link_expired');

    const noToken = new URL(url);
    noToken.search = '';
    expect((await download(noToken.toString(), shop.owner)).status).toBe(400);

    const audit = await t
      .http()
      .get(`/v1/tenants/${tenantId}/audit-log`)
      .query({ action: 'privacy.export_downloaded' })
      .set(shop.owner.auth)
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actorUserId: admin.userId,
        targetId: done.id,
        ip: expect.any(String),
        userAgent: 'privacy-test-agent/1.0',
      }),
    ]);
  });

  it('lets only owners and admins of the business ask, and checks what they ask for', async () => {
    const shop = await openShop(t, graph);
    const staff = await addMember(t, shop.owner, 'staff');
    const stranger = await signUp(t);
    const alice = buyer(shop);
    await buyInChat(alice);
    const aliceId = await contactOf(shop, alice);

    const erasure = await requestPrivacy(shop.owner, { type: 'erasure' }).expect(400);
    expect(erasure.body.error.code).toBe('contact_required');
    expect(
      (await requestPrivacy(shop.owner, { type: 'export', contactId: randomUUID() }).expect(404)).body.error.code,
    ).toBe('not_found');
    await requestPrivacy(shop.owner, { type: 'purge' }).expect(400);
    await requestPrivacy(shop.owner, { type: 'export', extra: 1 }).expect(400);
    await requestPrivacy(staff, { type: 'export' }).expect(403);

    // Another business's owner can neither ask about this contact nor see this business's requests.
    const mine = (await requestPrivacy(shop.owner, { type: 'export', contactId: aliceId }).expect(202)).body.id;
    await t
      .http()
      .post(`/v1/tenants/${shop.owner.tenantId}/privacy-requests`)
      .set(stranger.auth)
      .send({ type: 'export' })
      .expect(404);
    await requestPrivacy(stranger, { type: 'erasure', contactId: aliceId }).expect(404);
    await t.http().get(`/v1/tenants/${shop.owner.tenantId}/privacy-requests/${mine}`).set(stranger.auth).expect(404);
    await t.http().get(`/v1/tenants/${stranger.tenantId}/privacy-requests/${mine}`).set(stranger.auth).expect(404);
    await t.http().get(`/v1/tenants/${shop.owner.tenantId}/privacy-requests`).set(stranger.auth).expect(404);
    await finished(shop.owner, mine);

    // Newest first, in pages.
    const second = (await requestPrivacy(shop.owner, { type: 'export' }).expect(202)).body.id;
    await finished(shop.owner, second);
    const first = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/privacy-requests`)
      .query({ limit: 1 })
      .set(shop.owner.auth)
      .expect(200);
    expect(first.body.items.map((r: RequestView) => r.id)).toEqual([second]);
    const next = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/privacy-requests`)
      .query({ limit: 1, cursor: first.body.nextCursor })
      .set(shop.owner.auth)
      .expect(200);
    expect(next.body.items.map((r: RequestView) => r.id)).toEqual([mine]);
    expect(next.body.nextCursor).toBeNull();

    const audit = await t.http().get(`/v1/tenants/${shop.owner.tenantId}/audit-log`).set(shop.owner.auth).expect(200);
    const actions = (audit.body.items as { action: string }[]).map((e) => e.action);
    expect(actions.filter((a) => a === 'privacy.requested')).toHaveLength(2);
    expect(actions.filter((a) => a === 'privacy.export_completed')).toHaveLength(2);
  });

  it('removes an export’s archive when its time is up', async () => {
    const shop = await openShop(t, graph);
    const done = await finished(shop.owner, (await requestPrivacy(shop.owner, { type: 'export' }).expect(202)).body.id);
    expect(await readdir(join(exportDir, shop.owner.tenantId))).toContain(`${done.id}.zip`);
    await asOwner(t, `UPDATE privacy_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [done.id]);
    const late = await download(done.downloadUrl!, shop.owner);
    expect(late.status).toBe(410);

    expect(await t.app.get(ExportExpiry).purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await readdir(join(exportDir, shop.owner.tenantId))).not.toContain(`${done.id}.zip`);
    const view = (
      await t.http().get(`/v1/tenants/${shop.owner.tenantId}/privacy-requests/${done.id}`).set(shop.owner.auth)
    ).body as RequestView;
    expect(view).toMatchObject({ status: 'expired', downloadUrl: null });
  });

  it('deletes messages of resolved conversations past retention, and only those', async () => {
    const shop = await openShop(t, graph);
    const [resolved, open] = [buyer(shop), buyer(shop)];
    await resolved.chat.say(resolved.greeting);
    await open.chat.say(open.greeting);
    const [resolvedId, openId] = [await contactOf(shop, resolved), await contactOf(shop, open)];
    await asOwner(
      t,
      `UPDATE conversations SET mode = 'resolved', resolved_at = now() WHERE tenant_id = $1 AND contact_id = $2`,
      [shop.owner.tenantId, resolvedId],
    );
    // Both customers' first exchange is 40 days old; the resolved one also said something today.
    await asOwner(
      t,
      `UPDATE messages m SET created_at = now() - interval '40 days' FROM conversations c
        WHERE c.id = m.conversation_id AND c.tenant_id = $1`,
      [shop.owner.tenantId],
    );
    await asOwner(
      t,
      `INSERT INTO messages (tenant_id, conversation_id, direction, source, body)
       SELECT tenant_id, id, 'in', 'customer', 'said today' FROM conversations WHERE tenant_id = $1 AND contact_id = $2`,
      [shop.owner.tenantId, resolvedId],
    );
    const bodies = async (contactId: string) =>
      (
        await asOwner<{ body: string }[]>(
          t,
          `SELECT m.body FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = $1`,
          [contactId],
        )
      ).map((row) => row.body);
    const openBefore = await bodies(openId);

    expect(await t.app.get(MessageRetention).enforce()).toBeGreaterThanOrEqual(2);
    expect(await bodies(resolvedId)).toEqual(['said today']);
    expect(await bodies(openId)).toEqual(openBefore);
    // The raw provider deliveries of the deleted messages went with them.
    const inbox = await asOwner<{ customer_ref: string }[]>(
      t,
      `SELECT customer_ref FROM inbox_messages WHERE tenant_id = $1`,
      [shop.owner.tenantId],
    );
    expect(inbox.map((row) => row.customer_ref)).toEqual([open.chat.number]);
    const audit = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/audit-log`)
      .query({ action: 'privacy.messages_purged' })
      .set(shop.owner.auth)
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ retentionDays: 30 }) }),
    ]);
  });
});
