import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '../../src/database/tenant-db.js';
import { CartService } from '../../src/modules/commerce/cart.service.js';
import { OrdersService } from '../../src/modules/commerce/orders/orders.service.js';
import { Account, addMember, signUp } from '../support/fixtures.js';
import { startTestApp, TestApp } from '../support/test-app.js';

let t: TestApp;
let tenantDb: TenantDb;
let carts: CartService;
let orders: OrdersService;
beforeAll(async () => {
  t = await startTestApp();
  tenantDb = t.app.get(TenantDb);
  carts = t.app.get(CartService);
  orders = t.app.get(OrdersService);
});
afterAll(() => t.close());

const DELIVERY = { name: 'Ada Obi', phone: '+2348012345678', address: '12 Marina, Lagos' };

interface Shop {
  owner: Account;
  channelId: string;
}

interface Buyer {
  conversationId: string;
  contactId: string;
}

function inTenant<T>(account: Account, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return tenantDb.run({ tenantId: account.tenantId }, work);
}

async function openShop(): Promise<Shop> {
  const owner = await signUp(t);
  const res = await t
    .http()
    .post(`/v1/tenants/${owner.tenantId}/channels`)
    .set(owner.auth)
    .send({ type: 'webchat', name: 'Website', allowedOrigins: ['https://shop.example'] })
    .expect(201);
  return { owner, channelId: res.body.id as string };
}

async function createProduct(shop: Shop, body: Record<string, unknown>): Promise<string> {
  const res = await t
    .http()
    .post(`/v1/tenants/${shop.owner.tenantId}/products`)
    .set(shop.owner.auth)
    .send(body)
    .expect(201);
  return res.body.id as string;
}

/** A web chat customer with their own conversation. */
function newBuyer(shop: Shop): Promise<Buyer> {
  return inTenant(shop.owner, async (tx) => {
    const [contact] = await tx.query(
      `INSERT INTO contacts (tenant_id, channel_id, external_ref) VALUES ($1, $2, $3) RETURNING id`,
      [shop.owner.tenantId, shop.channelId, `session-${randomUUID()}`],
    );
    const [conversation] = await tx.query(
      `INSERT INTO conversations (tenant_id, contact_id, channel_id) VALUES ($1, $2, $3) RETURNING id`,
      [shop.owner.tenantId, contact.id, shop.channelId],
    );
    return { conversationId: conversation.id as string, contactId: contact.id as string };
  });
}

function addToCart(shop: Shop, buyer: Buyer, productId: string, quantity: number) {
  return inTenant(shop.owner, (tx) =>
    carts.add(tx, { tenantId: shop.owner.tenantId }, buyer.conversationId, productId, quantity),
  );
}

function checkout(shop: Shop, buyer: Buyer) {
  return inTenant(shop.owner, (tx) =>
    orders.createFromCart(tx, { tenantId: shop.owner.tenantId }, { ...buyer, delivery: DELIVERY }),
  );
}

async function stockOf(shop: Shop, productId: string): Promise<number | null> {
  const res = await t
    .http()
    .get(`/v1/tenants/${shop.owner.tenantId}/products/${productId}`)
    .set(shop.owner.auth)
    .expect(200);
  return res.body.stock as number | null;
}

function move(account: Account, orderId: string, body: Record<string, unknown>) {
  return t.http().post(`/v1/tenants/${account.tenantId}/orders/${orderId}/transitions`).set(account.auth).send(body);
}

describe('OrdersService.createFromCart', () => {
  it('makes an order from the cart with snapshot prices, empties the cart and numbers orders from 1001', async () => {
    const shop = await openShop();
    const rice = await createProduct(shop, { name: 'Jollof Rice', priceMinor: 250_000, stock: 10 });
    const zobo = await createProduct(shop, { name: 'Zobo', priceMinor: 50_000 });
    const buyer = await newBuyer(shop);
    await addToCart(shop, buyer, rice, 2);
    await addToCart(shop, buyer, zobo, 3);

    const { order, created } = await checkout(shop, buyer);
    expect(created).toBe(true);
    expect(order).toMatchObject({
      number: 1001,
      status: 'pending_confirmation',
      paymentStatus: 'unpaid',
      currency: 'NGN',
      subtotalMinor: 650_000,
      totalMinor: 650_000,
      delivery: DELIVERY,
      conversationId: buyer.conversationId,
      contactId: buyer.contactId,
      expiresAt: expect.any(String),
      items: [
        { productId: rice, name: 'Jollof Rice', unitPriceMinor: 250_000, quantity: 2, lineTotalMinor: 500_000 },
        { productId: zobo, name: 'Zobo', unitPriceMinor: 50_000, quantity: 3, lineTotalMinor: 150_000 },
      ],
      transitions: [{ from: null, to: 'pending_confirmation', actorType: 'customer', actorUserId: null }],
    });
    expect(await stockOf(shop, rice)).toBe(8);
    expect(await stockOf(shop, zobo)).toBeNull();
    const cart = await inTenant(shop.owner, (tx) =>
      carts.view(tx, { tenantId: shop.owner.tenantId }, buyer.conversationId),
    );
    expect(cart.lines).toEqual([]);

    // Repricing the catalog leaves the order as the customer agreed to it.
    await t
      .http()
      .patch(`/v1/tenants/${shop.owner.tenantId}/products/${rice}`)
      .set(shop.owner.auth)
      .send({ name: 'Party Rice', priceMinor: 999_999 })
      .expect(200);
    const read = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/orders/${order.id}`)
      .set(shop.owner.auth)
      .expect(200);
    expect(read.body.items[0]).toMatchObject({ name: 'Jollof Rice', unitPriceMinor: 250_000 });

    // The next checkout, by anyone in the business, takes the next number.
    await addToCart(shop, buyer, zobo, 1);
    expect((await checkout(shop, buyer)).order.number).toBe(1002);
    const other = await newBuyer(shop);
    await addToCart(shop, other, zobo, 1);
    expect((await checkout(shop, other)).order.number).toBe(1003);
  });

  it('refuses an empty cart with cart_empty, and bad delivery details with invalid_delivery', async () => {
    const shop = await openShop();
    const buyer = await newBuyer(shop);
    await expect(checkout(shop, buyer)).rejects.toMatchObject({ code: 'cart_empty' });
    const zobo = await createProduct(shop, { name: 'Zobo', priceMinor: 50_000 });
    await addToCart(shop, buyer, zobo, 1);
    await expect(
      inTenant(shop.owner, (tx) =>
        orders.createFromCart(
          tx,
          { tenantId: shop.owner.tenantId },
          { ...buyer, delivery: { name: 'Ada', phone: '0801234' } },
        ),
      ),
    ).rejects.toMatchObject({ code: 'invalid_delivery', details: { field: 'phone' } });
    // Another contact cannot check out this conversation's cart.
    const stranger = await newBuyer(shop);
    await expect(
      inTenant(shop.owner, (tx) =>
        orders.createFromCart(
          tx,
          { tenantId: shop.owner.tenantId },
          { conversationId: buyer.conversationId, contactId: stranger.contactId, delivery: DELIVERY },
        ),
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('returns the first order when the same unchanged cart is confirmed again, and a new one once it changes', async () => {
    const shop = await openShop();
    const rice = await createProduct(shop, { name: 'Rice', priceMinor: 1000, stock: 5 });
    const buyer = await newBuyer(shop);
    await addToCart(shop, buyer, rice, 2);

    const [a, b] = await Promise.all([checkout(shop, buyer), checkout(shop, buyer)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.order.id).toBe(b.order.id);
    const again = await checkout(shop, buyer);
    expect(again).toMatchObject({ created: false, order: { id: a.order.id } });
    expect(await stockOf(shop, rice)).toBe(3);

    await addToCart(shop, buyer, rice, 1);
    const next = await checkout(shop, buyer);
    expect(next.created).toBe(true);
    expect(next.order.number).toBe(a.order.number + 1);
  });

  it('sells the last item once when two customers race for it, and never takes stock below zero', async () => {
    const shop = await openShop();
    const last = await createProduct(shop, { name: 'Last Cake', priceMinor: 9000, stock: 1 });
    const drink = await createProduct(shop, { name: 'Drink', priceMinor: 500, stock: 10 });
    const buyers = [await newBuyer(shop), await newBuyer(shop)];
    for (const buyer of buyers) {
      // The other line is reserved first in each cart: a refusal must give it back too.
      await addToCart(shop, buyer, drink, 2);
      await addToCart(shop, buyer, last, 1);
    }

    const results = await Promise.allSettled(buyers.map((buyer) => checkout(shop, buyer)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toMatchObject({
      code: 'out_of_stock',
      details: { productId: last, name: 'Last Cake', available: 0 },
    });
    expect(await stockOf(shop, last)).toBe(0);
    expect(await stockOf(shop, drink)).toBe(8);
  });

  it('leaves stock untouched when the caller catches out_of_stock and commits', async () => {
    const shop = await openShop();
    const plenty = await createProduct(shop, { name: 'Plenty', priceMinor: 100, stock: 50 });
    const scarce = await createProduct(shop, { name: 'Scarce', priceMinor: 100, stock: 3 });
    const buyer = await newBuyer(shop);
    await addToCart(shop, buyer, plenty, 5);
    await addToCart(shop, buyer, scarce, 4);
    const caught = await inTenant(shop.owner, (tx) =>
      orders
        .createFromCart(tx, { tenantId: shop.owner.tenantId }, { ...buyer, delivery: DELIVERY })
        .catch((error: unknown) => error),
    );
    expect(caught).toMatchObject({ code: 'out_of_stock', details: { productId: scarce, available: 3 } });
    expect(await stockOf(shop, plenty)).toBe(50);
    expect(await stockOf(shop, scarce)).toBe(3);
  });

  it('numbers 50 concurrent orders without gaps or repeats', async () => {
    const shop = await openShop();
    const zobo = await createProduct(shop, { name: 'Zobo', priceMinor: 500, stock: 100 });
    const buyers = await Promise.all(Array.from({ length: 50 }, () => newBuyer(shop)));
    for (const buyer of buyers) await addToCart(shop, buyer, zobo, 1);

    const results = await Promise.all(buyers.map((buyer) => checkout(shop, buyer)));
    const numbers = results.map((r) => r.order.number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => 1001 + i));
    expect(await stockOf(shop, zobo)).toBe(50);
  });
});

describe('orders API', () => {
  async function placedOrder(shop: Shop, stock = 5, quantity = 2) {
    const productId = await createProduct(shop, { name: 'Suya', priceMinor: 2000, stock });
    const buyer = await newBuyer(shop);
    await addToCart(shop, buyer, productId, quantity);
    return { productId, buyer, order: (await checkout(shop, buyer)).order };
  }

  it('moves an order through its lifecycle, storing who moved it and when, and audits each move', async () => {
    const shop = await openShop();
    const staff = await addMember(t, shop.owner, 'staff');
    const { order } = await placedOrder(shop);

    const steps = ['confirmed', 'processing', 'out_for_delivery', 'delivered'] as const;
    for (const [i, to] of steps.entries()) {
      const actor = i % 2 === 0 ? shop.owner : staff;
      const res = await move(actor, order.id, { to, note: `step ${i}` }).expect(200);
      expect(res.body.status).toBe(to);
    }
    const read = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/orders/${order.id}`)
      .set(staff.auth)
      .expect(200);
    expect(read.body.expiresAt).toBeNull();
    expect(read.body.transitions).toEqual([
      expect.objectContaining({ from: null, to: 'pending_confirmation', actorType: 'customer' }),
      ...steps.map((to, i) =>
        expect.objectContaining({
          from: i === 0 ? 'pending_confirmation' : steps[i - 1],
          to,
          actorType: 'staff',
          actorUserId: i % 2 === 0 ? shop.owner.userId : staff.userId,
          note: `step ${i}`,
          at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        }),
      ),
    ]);
    const times = read.body.transitions.map((tr: { at: string }) => Date.parse(tr.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);

    const audit = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/audit-log?action=order.status_changed`)
      .set(shop.owner.auth)
      .expect(200);
    expect(audit.body.items).toHaveLength(4);
    expect(audit.body.items[0]).toMatchObject({
      targetId: order.id,
      details: { number: order.number, from: 'out_for_delivery', to: 'delivered' },
    });
  });

  it('answers 409 illegal_transition to a move the lifecycle does not allow, changing nothing', async () => {
    const shop = await openShop();
    const { order } = await placedOrder(shop);
    for (const to of ['processing', 'delivered', 'pending_confirmation']) {
      const res = await move(shop.owner, order.id, { to }).expect(409);
      expect(res.body.error).toMatchObject({
        code: 'illegal_transition',
        details: { from: 'pending_confirmation', to },
      });
    }
    await move(shop.owner, order.id, { to: 'confirmed' }).expect(200);
    await move(shop.owner, order.id, { to: 'processing' }).expect(200);
    await move(shop.owner, order.id, { to: 'out_for_delivery' }).expect(200);
    const late = await move(shop.owner, order.id, { to: 'cancelled' }).expect(409);
    expect(late.body.error.code).toBe('illegal_transition');
    const bad = await move(shop.owner, order.id, { to: 'shipped' }).expect(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const read = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/orders/${order.id}`)
      .set(shop.owner.auth)
      .expect(200);
    expect(read.body.status).toBe('out_for_delivery');
    expect(read.body.transitions).toHaveLength(4);
  });

  it('gives reserved stock back on cancellation, once', async () => {
    const shop = await openShop();
    const { order, productId } = await placedOrder(shop, 5, 2);
    expect(await stockOf(shop, productId)).toBe(3);
    await move(shop.owner, order.id, { to: 'confirmed' }).expect(200);
    const res = await move(shop.owner, order.id, { to: 'cancelled', note: 'Customer called' }).expect(200);
    expect(res.body.status).toBe('cancelled');
    expect(await stockOf(shop, productId)).toBe(5);
    await move(shop.owner, order.id, { to: 'cancelled' }).expect(409);
    expect(await stockOf(shop, productId)).toBe(5);
  });

  it('lets a customer cancel only before confirmation', async () => {
    const shop = await openShop();
    const scope = { tenantId: shop.owner.tenantId };
    const first = await placedOrder(shop, 5, 1);
    const cancelled = await inTenant(shop.owner, (tx) =>
      orders.transition(tx, scope, first.order.id, 'cancelled', { type: 'customer' }),
    );
    expect(cancelled.transitions.at(-1)).toMatchObject({ to: 'cancelled', actorType: 'customer' });
    expect(await stockOf(shop, first.productId)).toBe(5);

    const second = await placedOrder(shop, 5, 1);
    await move(shop.owner, second.order.id, { to: 'confirmed' }).expect(200);
    await expect(
      inTenant(shop.owner, (tx) => orders.transition(tx, scope, second.order.id, 'cancelled', { type: 'customer' })),
    ).rejects.toMatchObject({ code: 'illegal_transition' });
  });

  it('lists orders newest first, filtered by status, a page at a time', async () => {
    const shop = await openShop();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await placedOrder(shop, 5, 1)).order.id);
    await move(shop.owner, ids[1], { to: 'confirmed' }).expect(200);
    const base = `/v1/tenants/${shop.owner.tenantId}/orders`;

    const first = await t.http().get(`${base}?limit=2`).set(shop.owner.auth).expect(200);
    expect(first.body.items.map((o: { number: number }) => o.number)).toEqual([1003, 1002]);
    const second = await t
      .http()
      .get(`${base}?limit=2&cursor=${first.body.nextCursor}`)
      .set(shop.owner.auth)
      .expect(200);
    expect(second.body).toMatchObject({ items: [{ number: 1001 }], nextCursor: null });

    const confirmed = await t.http().get(`${base}?status=confirmed`).set(shop.owner.auth).expect(200);
    expect(confirmed.body.items.map((o: { id: string }) => o.id)).toEqual([ids[1]]);
    await t.http().get(`${base}?status=lost`).set(shop.owner.auth).expect(400);
    await t.http().get(`${base}?cursor=nonsense`).set(shop.owner.auth).expect(400);
  });

  it("finds a contact's own orders by number and lists their history, never another contact's", async () => {
    const shop = await openShop();
    const scope = { tenantId: shop.owner.tenantId };
    const mine = await placedOrder(shop);
    const theirs = await placedOrder(shop);
    const found = await inTenant(shop.owner, (tx) =>
      orders.findByNumber(tx, scope, mine.buyer.contactId, mine.order.number),
    );
    expect(found?.id).toBe(mine.order.id);
    expect(
      await inTenant(shop.owner, (tx) => orders.findByNumber(tx, scope, mine.buyer.contactId, theirs.order.number)),
    ).toBeNull();
    const history = await inTenant(shop.owner, (tx) => orders.listForContact(tx, scope, theirs.buyer.contactId, 10));
    expect(history.map((o) => o.id)).toEqual([theirs.order.id]);
  });

  it("answers 404 to another tenant on every route for tenant A's order, and changes nothing", async () => {
    const shop = await openShop();
    const { order } = await placedOrder(shop);
    const other = await signUp(t);
    await t.http().get(`/v1/tenants/${other.tenantId}/orders/${order.id}`).set(other.auth).expect(404);
    const res = await move(other, order.id, { to: 'confirmed' }).expect(404);
    expect(res.body.error.code).toBe('not_found');
    const list = await t.http().get(`/v1/tenants/${other.tenantId}/orders`).set(other.auth).expect(200);
    expect(list.body.items).toEqual([]);
    // Tenant A's URL with tenant B's token: not a member.
    await t.http().get(`/v1/tenants/${shop.owner.tenantId}/orders/${order.id}`).set(other.auth).expect(404);
    await t.http().get(`/v1/tenants/${other.tenantId}/orders/not-a-uuid`).set(other.auth).expect(404);
    const read = await t
      .http()
      .get(`/v1/tenants/${shop.owner.tenantId}/orders/${order.id}`)
      .set(shop.owner.auth)
      .expect(200);
    expect(read.body.status).toBe('pending_confirmation');
  });
});
