import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { formatMoney } from '../../src/common/money.js';
import { TenantDb } from '../../src/database/tenant-db.js';
import { CartService } from '../../src/modules/commerce/cart.service.js';
import { OrdersService } from '../../src/modules/commerce/orders/orders.service.js';
import { InvoiceLinkSigner } from '../../src/modules/invoices/invoice-link-signer.js';
import type { InvoiceView } from '../../src/modules/invoices/invoice.views.js';
import { InvoicesService } from '../../src/modules/invoices/invoices.service.js';
import { Account, addMember, signUp } from '../support/fixtures.js';
import { startTestApp, TestApp } from '../support/test-app.js';

let t: TestApp;
let tenantDb: TenantDb;
let carts: CartService;
let orders: OrdersService;
let invoices: InvoicesService;
beforeAll(async () => {
  t = await startTestApp();
  tenantDb = t.app.get(TenantDb);
  carts = t.app.get(CartService);
  orders = t.app.get(OrdersService);
  invoices = t.app.get(InvoicesService);
});
afterAll(() => t.close());

const DELIVERY = { name: 'Ada Obi', phone: '+2348012345678', address: '12 Marina, Lagos' };

interface Shop {
  owner: Account;
  channelId: string;
  productId: string;
}

function inTenant<T>(account: Account, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return tenantDb.run({ tenantId: account.tenantId }, work);
}

/** A business with a web chat channel and one product, Jollof Rice at ₦2,500. */
async function openShop(businessName?: string): Promise<Shop> {
  const owner = await signUp(t, businessName ? { businessName } : {});
  const channel = await t
    .http()
    .post(`/v1/tenants/${owner.tenantId}/channels`)
    .set(owner.auth)
    .send({ type: 'webchat', name: 'Website', allowedOrigins: ['https://shop.example'] })
    .expect(201);
  const product = await t
    .http()
    .post(`/v1/tenants/${owner.tenantId}/products`)
    .set(owner.auth)
    .send({ name: 'Jollof Rice', priceMinor: 250_000 })
    .expect(201);
  return { owner, channelId: channel.body.id as string, productId: product.body.id as string };
}

/** A new web chat customer who checks out `quantity` of the shop's product: an order awaiting confirmation. */
async function placeOrder(shop: Shop, quantity = 1, delivery: object = DELIVERY): Promise<string> {
  const scope = { tenantId: shop.owner.tenantId };
  const buyer = await inTenant(shop.owner, async (tx) => {
    const [contact] = await tx.query(
      `INSERT INTO contacts (tenant_id, channel_id, external_ref) VALUES ($1, $2, $3) RETURNING id`,
      [scope.tenantId, shop.channelId, `session-${randomUUID()}`],
    );
    const [conversation] = await tx.query(
      `INSERT INTO conversations (tenant_id, contact_id, channel_id) VALUES ($1, $2, $3) RETURNING id`,
      [scope.tenantId, contact.id, shop.channelId],
    );
    return { conversationId: conversation.id as string, contactId: contact.id as string };
  });
  await inTenant(shop.owner, (tx) => carts.add(tx, scope, buyer.conversationId, shop.productId, quantity));
  const { order } = await inTenant(shop.owner, (tx) => orders.createFromCart(tx, scope, { ...buyer, delivery }));
  return order.id;
}

function move(account: Account, orderId: string, to: string) {
  return t.http().post(`/v1/tenants/${account.tenantId}/orders/${orderId}/transitions`).set(account.auth).send({ to });
}

async function listInvoices(account: Account, query = ''): Promise<InvoiceView[]> {
  const res = await t.http().get(`/v1/tenants/${account.tenantId}/invoices${query}`).set(account.auth).expect(200);
  return res.body.items as InvoiceView[];
}

async function invoiceOf(account: Account, orderId: string): Promise<InvoiceView> {
  const invoice = await inTenant(account, (tx) => invoices.forOrder(tx, { tenantId: account.tenantId }, orderId));
  if (!invoice) throw new Error(`Order ${orderId} has no invoice`);
  return invoice;
}

/** Fetches a PDF (or an error) over real HTTP, keeping the body as bytes. */
async function fetchPdf(path: string, account?: Account) {
  const res = await fetch(`${t.url}${path}`, { headers: account ? account.auth : {} });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) };
}

async function pdfText(pdf: Buffer): Promise<string> {
  const { PDFParse } = await import('pdf-parse');
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

function sequenceOf(number: string): number {
  const match = /^INV-(\d{4})-(\d{6,})$/.exec(number);
  if (!match) throw new Error(`Not an invoice number: ${number}`);
  return Number(match[2]);
}

const thisYearInLagos = () =>
  Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Africa/Lagos' }).format(new Date()));

function changeCharacter(token: string, index: number): string {
  const swapped = token[index] === 'A' ? 'B' : 'A';
  return token.slice(0, index) + swapped + token.slice(index + 1);
}

describe('invoice numbers', () => {
  it('numbers 50 concurrent confirmations of one tenant 1 to 50, with no gaps and no repeats', async () => {
    const shop = await openShop();
    const orderIds: string[] = [];
    for (let i = 0; i < 50; i++) orderIds.push(await placeOrder(shop));

    const responses = await Promise.all(orderIds.map((id) => move(shop.owner, id, 'confirmed')));
    expect(responses.map((res) => res.status)).toEqual(orderIds.map(() => 200));

    const listed = await listInvoices(shop.owner, '?limit=100');
    expect(listed).toHaveLength(50);
    expect(new Set(listed.map((invoice) => invoice.orderId))).toEqual(new Set(orderIds));
    const sequences = listed.map((invoice) => sequenceOf(invoice.number)).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (const invoice of listed) {
      expect(invoice.number).toMatch(new RegExp(`^INV-${thisYearInLagos()}-0000\\d\\d$`));
      expect(invoice).toMatchObject({ status: 'issued', currency: 'NGN', totalMinor: 250_000, paidAt: null });
    }
    // Newest first is highest number first.
    expect(listed.map((invoice) => sequenceOf(invoice.number))).toEqual([...sequences].reverse());
  });

  it('gives each tenant its own sequence', async () => {
    const a = await openShop();
    const b = await openShop();
    const [a1, a2, b1] = [await placeOrder(a), await placeOrder(a), await placeOrder(b)];
    await move(a.owner, a1, 'confirmed').expect(200);
    await move(b.owner, b1, 'confirmed').expect(200);
    await move(a.owner, a2, 'confirmed').expect(200);
    expect(sequenceOf((await invoiceOf(a.owner, a1)).number)).toBe(1);
    expect(sequenceOf((await invoiceOf(a.owner, a2)).number)).toBe(2);
    expect(sequenceOf((await invoiceOf(b.owner, b1)).number)).toBe(1);
  });

  it('gives a rolled-back number back, and returns one invoice to concurrent issuers of an order', async () => {
    const shop = await openShop();
    const scope = { tenantId: shop.owner.tenantId };
    const [first, second] = [await placeOrder(shop), await placeOrder(shop)];
    const failed = inTenant(shop.owner, async (tx) => {
      await invoices.issueFor(tx, scope, first);
      throw new Error('the caller failed after issuing');
    });
    await expect(failed).rejects.toThrow('the caller failed after issuing');
    expect(await inTenant(shop.owner, (tx) => invoices.forOrder(tx, scope, first))).toBeNull();

    const [x, y, z] = await Promise.all(
      [first, first, first].map((id) => inTenant(shop.owner, (tx) => invoices.issueFor(tx, scope, id))),
    );
    expect(y).toEqual(x);
    expect(z).toEqual(x);
    expect(sequenceOf(x.number)).toBe(1);
    // Confirming an order that already has its invoice keeps it.
    await move(shop.owner, first, 'confirmed').expect(200);
    expect(await invoiceOf(shop.owner, first)).toEqual(x);
    await move(shop.owner, second, 'confirmed').expect(200);
    expect(sequenceOf((await invoiceOf(shop.owner, second)).number)).toBe(2);
  });
});

describe('the invoice document', () => {
  it('is a PDF with the number, the customer, the lines and the formatted total, as it was when issued', async () => {
    const shop = await openShop('Mama Put Kitchen');
    const orderId = await placeOrder(shop, 3);
    await move(shop.owner, orderId, 'confirmed').expect(200);
    const invoice = await invoiceOf(shop.owner, orderId);

    // Later edits to the catalog and the business profile do not rewrite an issued invoice.
    await t
      .http()
      .patch(`/v1/tenants/${shop.owner.tenantId}/products/${shop.productId}`)
      .set(shop.owner.auth)
      .send({ name: 'Party Rice', priceMinor: 999_999 })
      .expect(200);
    await t
      .http()
      .patch(`/v1/tenants/${shop.owner.tenantId}`)
      .set(shop.owner.auth)
      .send({ name: 'Renamed' })
      .expect(200);

    const detail = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/invoices/${invoice.id}`)
      .set(shop.owner.auth)
      .expect(200);
    expect(detail.body).toMatchObject({
      id: invoice.id,
      number: invoice.number,
      orderId,
      status: 'issued',
      businessName: 'Mama Put Kitchen',
      customer: DELIVERY,
      currency: 'NGN',
      subtotalMinor: 750_000,
      totalMinor: 750_000,
      lines: [{ name: 'Jollof Rice', quantity: 3, unitPriceMinor: 250_000, lineTotalMinor: 750_000 }],
    });

    const res = await fetchPdf(`/v1/tenants/${shop.owner.tenantId}/invoices/${invoice.id}/pdf`, shop.owner);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${invoice.number}.pdf"`);
    expect(res.body.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const text = await pdfText(res.body);
    expect(formatMoney(750_000, 'NGN', 'en-NG')).toBe('₦7,500.00');
    for (const expected of [
      invoice.number,
      '₦7,500.00',
      '₦2,500.00',
      'Mama Put Kitchen',
      'Jollof Rice',
      'Ada Obi',
      '12 Marina, Lagos',
      'ISSUED',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Party Rice');
  });

  it('says Pickup for an order the customer collects', async () => {
    const shop = await openShop();
    const orderId = await placeOrder(shop, 1, { name: 'Bola', phone: '+2348099999999', pickup: true });
    await move(shop.owner, orderId, 'confirmed').expect(200);
    const invoice = await invoiceOf(shop.owner, orderId);
    const res = await fetchPdf(`/v1/tenants/${shop.owner.tenantId}/invoices/${invoice.id}/pdf`, shop.owner);
    expect(await pdfText(res.body)).toContain('Pickup');
  });
});

describe('the public invoice link', () => {
  it('opens the PDF from the link the customer is sent, until it expires', async () => {
    const shop = await openShop();
    const orderId = await placeOrder(shop, 2);
    await move(shop.owner, orderId, 'confirmed').expect(200);
    const invoice = await invoiceOf(shop.owner, orderId);

    const attachment = invoices.attachmentFor({ tenantId: shop.owner.tenantId }, invoice);
    expect(attachment).toEqual({
      invoiceNumber: invoice.number,
      link: expect.stringMatching(/^.+\/v1\/public\/invoices\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
      filename: `${invoice.number}.pdf`,
    });
    expect(attachment.link.startsWith(`${t.config.http.publicBaseUrl}/v1/public/invoices/`)).toBe(true);
    const path = new URL(attachment.link).pathname;
    const res = await fetchPdf(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="${invoice.number}.pdf"`);
    expect(res.body.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(await pdfText(res.body)).toContain(invoice.number);

    const signer = t.app.get(InvoiceLinkSigner);
    const ttlMs = t.config.invoices.linkTtlSeconds * 1000;
    const claims = { tenantId: shop.owner.tenantId, invoiceId: invoice.id };
    const almostExpired = signer.sign(claims, new Date(Date.now() - ttlMs + 60_000));
    expect((await fetchPdf(`/v1/public/invoices/${almostExpired}`)).status).toBe(200);

    const expired = await fetchPdf(`/v1/public/invoices/${signer.sign(claims, new Date(Date.now() - ttlMs - 1000))}`);
    expect(expired.status).toBe(410);
    expect(expired.json().error.code).toBe('link_expired');
  });

  it('answers 404 for a tampered, malformed or foreign token', async () => {
    const a = await openShop();
    const b = await openShop();
    const orderId = await placeOrder(a);
    await move(a.owner, orderId, 'confirmed').expect(200);
    const invoice = await invoiceOf(a.owner, orderId);
    const token = new URL(invoices.attachmentFor({ tenantId: a.owner.tenantId }, invoice).link).pathname
      .split('/')
      .pop()!;
    const signer = t.app.get(InvoiceLinkSigner);

    const attempts = [
      changeCharacter(token, 10), // in the payload
      changeCharacter(token, token.length - 1), // in the signature
      'not-a-token',
      `${token}x`,
      // Genuinely signed, but naming an invoice that does not exist, or A's invoice under B.
      signer.sign({ tenantId: a.owner.tenantId, invoiceId: randomUUID() }),
      signer.sign({ tenantId: b.owner.tenantId, invoiceId: invoice.id }),
    ];
    for (const attempt of attempts) {
      const res = await fetchPdf(`/v1/public/invoices/${attempt}`);
      expect({ attempt, status: res.status, code: res.json().error.code }).toEqual({
        attempt,
        status: 404,
        code: 'not_found',
      });
    }
  });
});

describe('tenant isolation', () => {
  it('shows tenant B none of tenant A’s invoices', async () => {
    const a = await openShop();
    const b = await openShop();
    const orderId = await placeOrder(a);
    await move(a.owner, orderId, 'confirmed').expect(200);
    const invoice = await invoiceOf(a.owner, orderId);
    const bStaff = await addMember(t, b.owner, 'staff');

    for (const path of [`/invoices/${invoice.id}`, `/invoices/${invoice.id}/pdf`, `/invoices/not-a-uuid`]) {
      const res = await t.http().get(`/v1/tenants/${b.owner.tenantId}${path}`).set(bStaff.auth).expect(404);
      expect(res.body.error.code).toBe('not_found');
    }
    // Under A's tenant id, B's member is not a member: the same 404.
    await t.http().get(`/v1/tenants/${a.owner.tenantId}/invoices/${invoice.id}`).set(bStaff.auth).expect(404);
    expect(await listInvoices(b.owner)).toEqual([]);

    // Any member of A may read it.
    const aStaff = await addMember(t, a.owner, 'staff');
    const read = await t
      .http()
      .get(`/v1/tenants/${a.owner.tenantId}/invoices/${invoice.id}`)
      .set(aStaff.auth)
      .expect(200);
    expect(read.body.number).toBe(invoice.number);
    await t.http().get(`/v1/tenants/${a.owner.tenantId}/invoices/not-a-uuid`).set(aStaff.auth).expect(404);
  });

  it('keeps invoices for the application: no deleting, no rewriting what they say', async () => {
    const shop = await openShop();
    const orderId = await placeOrder(shop);
    await move(shop.owner, orderId, 'confirmed').expect(200);
    const rewrite = inTenant(shop.owner, (tx) => tx.query(`UPDATE invoices SET total_minor = 1`));
    await expect(rewrite).rejects.toThrow(/permission denied/);
    const remove = inTenant(shop.owner, (tx) => tx.query(`DELETE FROM invoices`));
    await expect(remove).rejects.toThrow(/permission denied/);
    expect(await t.dataSource.query(`SELECT * FROM invoices`)).toEqual([]);
  });
});

describe('invoice status', () => {
  it('voids the invoice of a confirmed, unpaid order that is cancelled, keeping its number used', async () => {
    const shop = await openShop();
    const [cancelled, next] = [await placeOrder(shop), await placeOrder(shop)];
    await move(shop.owner, cancelled, 'confirmed').expect(200);
    const issued = await invoiceOf(shop.owner, cancelled);
    await move(shop.owner, cancelled, 'cancelled').expect(200);

    const read = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/invoices/${issued.id}`)
      .set(shop.owner.auth)
      .expect(200);
    expect(read.body).toMatchObject({ number: issued.number, status: 'void', voidedAt: expect.any(String) });
    expect((await listInvoices(shop.owner, '?status=void')).map((invoice) => invoice.id)).toEqual([issued.id]);
    const pdf = await fetchPdf(`/v1/tenants/${shop.owner.tenantId}/invoices/${issued.id}/pdf`, shop.owner);
    expect(await pdfText(pdf.body)).toContain('VOID');

    await move(shop.owner, next, 'confirmed').expect(200);
    expect(sequenceOf((await invoiceOf(shop.owner, next)).number)).toBe(sequenceOf(issued.number) + 1);
    // Paying a voided invoice is for a person to sort out, not a status flip.
    const scope = { tenantId: shop.owner.tenantId };
    await expect(
      inTenant(shop.owner, (tx) => invoices.markPaid(tx, scope, cancelled, new Date())),
    ).rejects.toMatchObject({ code: 'invoice_void' });
  });

  it('marks an invoice paid with its payment time, once, and keeps it paid if the order is cancelled', async () => {
    const shop = await openShop();
    const scope = { tenantId: shop.owner.tenantId };
    const orderId = await placeOrder(shop);
    await move(shop.owner, orderId, 'confirmed').expect(200);
    const issued = await invoiceOf(shop.owner, orderId);

    const paidAt = new Date('2026-03-02T09:15:00.000Z');
    const paid = await inTenant(shop.owner, (tx) => invoices.markPaid(tx, scope, orderId, paidAt));
    expect(paid).toEqual({ ...issued, status: 'paid', paidAt: paidAt.toISOString() });
    const again = await inTenant(shop.owner, (tx) => invoices.markPaid(tx, scope, orderId, new Date()));
    expect(again).toEqual(paid);

    const res = await fetchPdf(`/v1/tenants/${shop.owner.tenantId}/invoices/${issued.id}/pdf`, shop.owner);
    const text = await pdfText(res.body);
    expect(text).toContain('PAID');
    expect(text).toContain('2 March 2026');
    expect((await listInvoices(shop.owner, '?status=paid')).map((invoice) => invoice.id)).toEqual([issued.id]);

    await move(shop.owner, orderId, 'cancelled').expect(200);
    expect((await invoiceOf(shop.owner, orderId)).status).toBe('paid');
  });

  it('issues the invoice first when a payment arrives for an order that has none yet', async () => {
    const shop = await openShop();
    const scope = { tenantId: shop.owner.tenantId };
    const orderId = await placeOrder(shop);
    const paidAt = new Date();
    const paid = await inTenant(shop.owner, (tx) => invoices.markPaid(tx, scope, orderId, paidAt));
    expect(paid).toMatchObject({ orderId, status: 'paid', paidAt: paidAt.toISOString() });
    expect(sequenceOf(paid.number)).toBe(1);
    // The confirmation that follows the payment keeps that invoice.
    await inTenant(shop.owner, (tx) =>
      orders.transition(tx, scope, orderId, 'confirmed', { type: 'system' }, { reason: 'payment' }),
    );
    expect(await invoiceOf(shop.owner, orderId)).toEqual(paid);
  });
});

describe('the customer’s confirmation', () => {
  interface NoticeRow {
    kind: string;
    notice: { invoice?: { invoiceNumber: string; link: string; filename: string } };
  }
  // Only the confirmation: payments may record its own notices for the same order.
  const confirmationsOf = (account: Account, orderId: string) =>
    inTenant(account, (tx) =>
      tx.query<NoticeRow[]>(
        `SELECT kind, notice FROM customer_notifications WHERE order_id = $1 AND kind = 'order_confirmed'`,
        [orderId],
      ),
    );

  it('tells the customer their order is confirmed, with a link to the invoice that opens it', async () => {
    const shop = await openShop();
    const orderId = await placeOrder(shop);
    await move(shop.owner, orderId, 'confirmed').expect(200);
    const invoice = await invoiceOf(shop.owner, orderId);

    const notices = await confirmationsOf(shop.owner, orderId);
    expect(notices).toEqual([
      {
        kind: 'order_confirmed',
        notice: {
          invoice: { invoiceNumber: invoice.number, link: expect.any(String), filename: `${invoice.number}.pdf` },
        },
      },
    ]);
    const res = await fetchPdf(new URL(notices[0].notice.invoice!.link).pathname);
    expect(res.status).toBe(200);
    expect(await pdfText(res.body)).toContain(invoice.number);
  });

  it('leaves a confirmation by payment to payments, which sends the paid invoice', async () => {
    const shop = await openShop();
    const scope = { tenantId: shop.owner.tenantId };
    const orderId = await placeOrder(shop);
    await inTenant(shop.owner, (tx) =>
      orders.transition(tx, scope, orderId, 'confirmed', { type: 'system' }, { reason: 'payment' }),
    );
    expect((await invoiceOf(shop.owner, orderId)).status).toBe('issued');
    expect(await confirmationsOf(shop.owner, orderId)).toEqual([]);
  });
});

describe('listing invoices', () => {
  it('pages newest first with a cursor, and refuses a forged cursor', async () => {
    const shop = await openShop();
    const orderIds: string[] = [];
    for (let i = 0; i < 5; i++) orderIds.push(await placeOrder(shop));
    for (const id of orderIds) await move(shop.owner, id, 'confirmed').expect(200);

    const base = `/v1/tenants/${shop.owner.tenantId}/invoices`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await t.http().get(`${base}${query}`).set(shop.owner.auth).expect(200);
      seen.push(...page.body.items.map((invoice: InvoiceView) => invoice.number));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen.map(sequenceOf)).toEqual([5, 4, 3, 2, 1]);

    const forged = await t.http().get(`${base}?cursor=nonsense`).set(shop.owner.auth).expect(400);
    expect(forged.body.error.code).toBe('invalid_cursor');
    await t.http().get(`${base}?status=overdue`).set(shop.owner.auth).expect(400);
  });
});
