import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '../../src/database/tenant-db.js';
import { CartService } from '../../src/modules/commerce/cart.service.js';
import { CatalogService } from '../../src/modules/commerce/catalog.service.js';
import { Account, addMember, signUp } from '../support/fixtures.js';
import { startTestApp, TestApp } from '../support/test-app.js';

let t: TestApp;
let tenantDb: TenantDb;
beforeAll(async () => {
  t = await startTestApp();
  tenantDb = t.app.get(TenantDb);
});
afterAll(() => t.close());

const productsUrl = (account: Account) => `/v1/tenants/${account.tenantId}/products`;

async function createProduct(account: Account, body: Record<string, unknown>) {
  const res = await t.http().post(productsUrl(account)).set(account.auth).send(body).expect(201);
  return res.body as { id: string; name: string; priceMinor: number; currency: string; sku: string | null };
}

async function listAll(account: Account, query = ''): Promise<{ id: string; name: string }[]> {
  const res = await t
    .http()
    .get(`${productsUrl(account)}${query}`)
    .set(account.auth)
    .expect(200);
  return res.body.items;
}

async function auditActions(account: Account, action: string) {
  const res = await t
    .http()
    .get(`/v1/tenants/${account.tenantId}/audit-log?action=${action}`)
    .set(account.auth)
    .expect(200);
  return res.body.items as { targetId: string; details: Record<string, unknown> }[];
}

function inTenant<T>(account: Account, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return tenantDb.run({ tenantId: account.tenantId }, work);
}

/** A web chat conversation: the carts table hangs off conversations. */
function createConversation(account: Account): Promise<string> {
  return inTenant(account, async (tx) => {
    const [channel] = await tx.query(
      `INSERT INTO channels (tenant_id, type, name, status) VALUES ($1, 'webchat', 'Web', 'active') RETURNING id`,
      [account.tenantId],
    );
    const [contact] = await tx.query(
      `INSERT INTO contacts (tenant_id, channel_id, external_ref) VALUES ($1, $2, $3) RETURNING id`,
      [account.tenantId, channel.id, `session-${randomUUID()}`],
    );
    const [conversation] = await tx.query(
      `INSERT INTO conversations (tenant_id, contact_id, channel_id) VALUES ($1, $2, $3) RETURNING id`,
      [account.tenantId, contact.id, channel.id],
    );
    return conversation.id as string;
  });
}

describe('products API', () => {
  it('creates, lists, reads, updates and soft-deletes a product, auditing each change', async () => {
    const owner = await signUp(t);
    const created = await createProduct(owner, {
      name: 'Jollof Rice',
      priceMinor: 250000,
      sku: 'JR-1',
      stock: 10,
    });
    expect(created).toMatchObject({
      name: 'Jollof Rice',
      description: null,
      priceMinor: 250000,
      currency: 'NGN',
      sku: 'JR-1',
      active: true,
      stock: 10,
    });

    expect((await listAll(owner)).map((p) => p.id)).toEqual([created.id]);
    const read = await t
      .http()
      .get(`${productsUrl(owner)}/${created.id}`)
      .set(owner.auth)
      .expect(200);
    expect(read.body).toEqual(created);

    const patched = await t
      .http()
      .patch(`${productsUrl(owner)}/${created.id}`)
      .set(owner.auth)
      .send({ priceMinor: 300000, stock: null, description: 'Smoky party rice' })
      .expect(200);
    expect(patched.body).toMatchObject({
      priceMinor: 300000,
      stock: null,
      description: 'Smoky party rice',
      sku: 'JR-1',
    });

    await t
      .http()
      .delete(`${productsUrl(owner)}/${created.id}`)
      .set(owner.auth)
      .expect(204);
    for (const send of [
      () => t.http().get(`${productsUrl(owner)}/${created.id}`),
      () =>
        t
          .http()
          .patch(`${productsUrl(owner)}/${created.id}`)
          .send({ name: 'Back' }),
      () => t.http().delete(`${productsUrl(owner)}/${created.id}`),
    ]) {
      const res = await send().set(owner.auth).expect(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect(await listAll(owner)).toEqual([]);
    const [row] = await inTenant(owner, (tx) =>
      tx.query(`SELECT active, deleted_at FROM products WHERE id = $1`, [created.id]),
    );
    expect(row).toMatchObject({ active: false, deleted_at: expect.any(Date) });

    // The deleted product's SKU is free again.
    const again = await createProduct(owner, { name: 'Jollof Rice v2', priceMinor: 260000, sku: 'JR-1' });

    expect((await auditActions(owner, 'product.created')).map((e) => e.targetId).sort()).toEqual(
      [created.id, again.id].sort(),
    );
    const [updated] = await auditActions(owner, 'product.updated');
    expect(updated).toMatchObject({
      targetId: created.id,
      details: { fields: ['description', 'priceMinor', 'stock'] },
    });
    expect((await auditActions(owner, 'product.deleted')).map((e) => e.targetId)).toEqual([created.id]);
  });

  it("defaults the currency to the business's currency, and accepts an explicit ISO code", async () => {
    const owner = await signUp(t);
    await t.http().patch(`/v1/tenants/${owner.tenantId}`).set(owner.auth).send({ currency: 'GHS' }).expect(200);
    expect((await createProduct(owner, { name: 'Kelewele', priceMinor: 1500 })).currency).toBe('GHS');
    expect((await createProduct(owner, { name: 'Import', priceMinor: 1500, currency: 'USD' })).currency).toBe('USD');
    const bad = await t
      .http()
      .post(productsUrl(owner))
      .set(owner.auth)
      .send({ name: 'X', priceMinor: 1, currency: 'XYZ' })
      .expect(400);
    expect(bad.body.error.details.fields).toHaveProperty('currency');
  });

  it.each([
    ['a zero price', { name: 'Zobo', priceMinor: 0 }, 'priceMinor'],
    ['a fractional price', { name: 'Zobo', priceMinor: 1.5 }, 'priceMinor'],
    ['a price sent as a string', { name: 'Zobo', priceMinor: '12' }, 'priceMinor'],
    ['a price above 10^12', { name: 'Zobo', priceMinor: 1_000_000_000_001 }, 'priceMinor'],
    ['a missing price', { name: 'Zobo' }, 'priceMinor'],
    ['a blank name', { name: '   ', priceMinor: 100 }, 'name'],
    ['negative stock', { name: 'Zobo', priceMinor: 100, stock: -1 }, 'stock'],
    ['a null active flag', { name: 'Zobo', priceMinor: 100, active: null }, 'active'],
    ['an unknown field', { name: 'Zobo', priceMinor: 100, tenantId: randomUUID() }, 'tenantId'],
  ])('refuses %s with validation_failed naming the field, storing nothing', async (_case, body, field) => {
    const owner = await signUp(t);
    const res = await t.http().post(productsUrl(owner)).set(owner.auth).send(body).expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.details.fields)).toEqual([field]);
    expect(await listAll(owner)).toEqual([]);
    expect(await auditActions(owner, 'product.created')).toEqual([]);
  });

  it('refuses null for fields that cannot be empty on update, and keeps the product unchanged', async () => {
    const owner = await signUp(t);
    const product = await createProduct(owner, { name: 'Zobo', priceMinor: 500 });
    for (const body of [{ name: null }, { priceMinor: null }, { priceMinor: 2.5 }, { currency: null }, { id: 'x' }]) {
      const res = await t
        .http()
        .patch(`${productsUrl(owner)}/${product.id}`)
        .set(owner.auth)
        .send(body)
        .expect(400);
      expect(Object.keys(res.body.error.details.fields)).toEqual(Object.keys(body));
    }
    const read = await t
      .http()
      .get(`${productsUrl(owner)}/${product.id}`)
      .set(owner.auth)
      .expect(200);
    expect(read.body).toEqual(product);
  });

  it('answers 409 sku_taken for a SKU already used in the same business, on create and on update', async () => {
    const owner = await signUp(t);
    await createProduct(owner, { name: 'Zobo', priceMinor: 500, sku: 'ZB' });
    const other = await createProduct(owner, { name: 'Chapman', priceMinor: 700, sku: 'CH' });
    const dup = await t
      .http()
      .post(productsUrl(owner))
      .set(owner.auth)
      .send({ name: 'Zobo 2', priceMinor: 500, sku: 'ZB' })
      .expect(409);
    expect(dup.body.error.code).toBe('sku_taken');
    const dupUpdate = await t
      .http()
      .patch(`${productsUrl(owner)}/${other.id}`)
      .set(owner.auth)
      .send({ sku: 'ZB' })
      .expect(409);
    expect(dupUpdate.body.error.code).toBe('sku_taken');
    expect((await listAll(owner)).map((p) => p.name)).toEqual(['Zobo', 'Chapman']);

    // SKUs are unique per business, not across businesses.
    await createProduct(await signUp(t), { name: 'Zobo', priceMinor: 500, sku: 'ZB' });
  });

  it('lets staff read the catalog but only owners and admins change it', async () => {
    const owner = await signUp(t);
    const staff = await addMember(t, owner, 'staff');
    const admin = await addMember(t, owner, 'admin');
    const product = await createProduct(admin, { name: 'Suya', priceMinor: 2000 });

    expect((await listAll(staff)).map((p) => p.id)).toEqual([product.id]);
    await t
      .http()
      .get(`${productsUrl(staff)}/${product.id}`)
      .set(staff.auth)
      .expect(200);
    const create = await t
      .http()
      .post(productsUrl(staff))
      .set(staff.auth)
      .send({ name: 'Nope', priceMinor: 1 })
      .expect(403);
    expect(create.body.error.code).toBe('forbidden');
    await t
      .http()
      .patch(`${productsUrl(staff)}/${product.id}`)
      .set(staff.auth)
      .send({ name: 'X' })
      .expect(403);
    await t
      .http()
      .delete(`${productsUrl(staff)}/${product.id}`)
      .set(staff.auth)
      .expect(403);
    expect((await listAll(owner)).map((p) => p.name)).toEqual(['Suya']);
  });

  it("never shows or changes another business's products", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const productA = await createProduct(a, { name: 'Puff-puff', priceMinor: 300 });
    const productB = await createProduct(b, { name: 'Moi moi', priceMinor: 800 });

    for (const send of [
      () => t.http().get(`${productsUrl(b)}/${productA.id}`),
      () =>
        t
          .http()
          .patch(`${productsUrl(b)}/${productA.id}`)
          .send({ name: 'Stolen' }),
      () => t.http().delete(`${productsUrl(b)}/${productA.id}`),
      // B is no member of A's business: the tenant itself is not found.
      () => t.http().get(`${productsUrl(a)}/${productA.id}`),
      () => t.http().get(productsUrl(a)),
    ]) {
      const res = await send().set(b.auth).expect(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await listAll(a)).map((p) => p.id)).toEqual([productA.id]);
    expect((await listAll(b)).map((p) => p.id)).toEqual([productB.id]);
    const read = await t
      .http()
      .get(`${productsUrl(a)}/${productA.id}`)
      .set(a.auth)
      .expect(200);
    expect(read.body).toEqual(productA);
  });

  it('answers 404 not_found for a malformed product id', async () => {
    const owner = await signUp(t);
    for (const id of ['not-a-uuid', '1', `${randomUUID()}x`]) {
      const res = await t
        .http()
        .get(`${productsUrl(owner)}/${id}`)
        .set(owner.auth)
        .expect(404);
      expect(res.body.error.code).toBe('not_found');
    }
    await t
      .http()
      .get(`${productsUrl(owner)}/${randomUUID()}`)
      .set(owner.auth)
      .expect(404);
  });

  it('pages through the catalog oldest first and filters by active flag and name', async () => {
    const owner = await signUp(t);
    const made = [];
    for (const [name, active] of [
      ['Jollof Rice', true],
      ['Fried Rice', true],
      ['Zobo', false],
      ['Chapman', true],
      ['100% Juice', true],
    ] as const) {
      made.push(await createProduct(owner, { name, priceMinor: 1000, active }));
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t
        .http()
        .get(productsUrl(owner))
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(owner.auth)
        .expect(200);
      const page = res.body as { items: { id: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made.map((p) => p.id));

    expect((await listAll(owner, '?active=false')).map((p) => p.name)).toEqual(['Zobo']);
    expect((await listAll(owner, '?active=true')).map((p) => p.name)).toEqual([
      'Jollof Rice',
      'Fried Rice',
      'Chapman',
      '100% Juice',
    ]);
    expect((await listAll(owner, '?q=RICE')).map((p) => p.name)).toEqual(['Jollof Rice', 'Fried Rice']);
    // Pattern characters are literal.
    expect((await listAll(owner, `?q=${encodeURIComponent('0%')}`)).map((p) => p.name)).toEqual(['100% Juice']);
    expect(await listAll(owner, '?q=_')).toEqual([]);

    const badFilter = await t
      .http()
      .get(`${productsUrl(owner)}?active=yes`)
      .set(owner.auth)
      .expect(400);
    expect(badFilter.body.error.details.fields).toHaveProperty('active');
    const badCursor = await t
      .http()
      .get(`${productsUrl(owner)}?cursor=nonsense`)
      .set(owner.auth)
      .expect(400);
    expect(badCursor.body.error.code).toBe('invalid_cursor');
  });
});

describe('CatalogService', () => {
  it('numbers the active products as on the menu and resolves numbers, names and ids', async () => {
    const owner = await signUp(t);
    const catalog = t.app.get(CatalogService);
    const scope = { tenantId: owner.tenantId };
    const jollof = await createProduct(owner, { name: 'Jollof Rice', priceMinor: 2500, sku: 'JR', stock: 4 });
    await createProduct(owner, { name: 'Hidden', priceMinor: 100, active: false });
    const gone = await createProduct(owner, { name: 'Gone', priceMinor: 100 });
    await t
      .http()
      .delete(`${productsUrl(owner)}/${gone.id}`)
      .set(owner.auth)
      .expect(204);
    const fried = await createProduct(owner, { name: 'Fried Rice', priceMinor: 2000 });

    const items = await inTenant(owner, (tx) => catalog.listActive(tx, scope));
    expect(items).toEqual([
      {
        index: 1,
        id: jollof.id,
        name: 'Jollof Rice',
        description: null,
        priceMinor: 2500,
        currency: 'NGN',
        sku: 'JR',
        stock: 4,
      },
      expect.objectContaining({ index: 2, id: fried.id, name: 'Fried Rice' }),
    ]);

    const resolve = (ref: Parameters<CatalogService['resolve']>[2]) =>
      inTenant(owner, (tx) => catalog.resolve(tx, scope, ref));
    expect(await resolve({ kind: 'index', index: 2 })).toMatchObject({ status: 'found', item: { id: fried.id } });
    expect(await resolve({ kind: 'index', index: 3 })).toEqual({ status: 'not_found' });
    expect(await resolve({ kind: 'name', name: 'jollof' })).toMatchObject({ status: 'found', item: { id: jollof.id } });
    expect(await resolve({ kind: 'name', name: 'rice' })).toMatchObject({
      status: 'ambiguous',
      candidates: [{ id: jollof.id }, { id: fried.id }],
    });
    expect(await resolve({ kind: 'name', name: 'hidden' })).toEqual({ status: 'not_found' });
    expect(await resolve({ kind: 'product', productId: gone.id })).toEqual({ status: 'not_found' });

    // Another business's catalog is invisible, even by id.
    const other = await signUp(t);
    const seen = await tenantDb.run({ tenantId: other.tenantId }, (tx) =>
      catalog.resolve(tx, { tenantId: other.tenantId }, { kind: 'product', productId: jollof.id }),
    );
    expect(seen).toEqual({ status: 'not_found' });
  });
});

describe('CartService', () => {
  let cart: CartService;
  beforeAll(() => {
    cart = t.app.get(CartService);
  });

  it('adds, raises, caps, removes and clears lines, always at current prices', async () => {
    const owner = await signUp(t);
    const scope = { tenantId: owner.tenantId };
    const conversation = await createConversation(owner);
    const rice = await createProduct(owner, { name: 'Jollof Rice', priceMinor: 250050 });
    const zobo = await createProduct(owner, { name: 'Zobo', priceMinor: 500 });

    expect(await inTenant(owner, (tx) => cart.view(tx, scope, conversation))).toEqual({
      lines: [],
      totalMinor: 0,
      currency: null,
      itemCount: 0,
    });
    await inTenant(owner, (tx) => cart.add(tx, scope, conversation, rice.id, 2));
    const view = await inTenant(owner, (tx) => cart.add(tx, scope, conversation, zobo.id, 3));
    expect(view).toEqual({
      lines: [
        { productId: rice.id, name: 'Jollof Rice', unitPriceMinor: 250050, quantity: 2, lineTotalMinor: 500100 },
        { productId: zobo.id, name: 'Zobo', unitPriceMinor: 500, quantity: 3, lineTotalMinor: 1500 },
      ],
      totalMinor: 501600,
      currency: 'NGN',
      itemCount: 5,
    });

    // Adding again raises the line, capped at 99.
    expect((await inTenant(owner, (tx) => cart.add(tx, scope, conversation, zobo.id, 4))).lines[1].quantity).toBe(7);
    expect((await inTenant(owner, (tx) => cart.add(tx, scope, conversation, zobo.id, 99))).lines[1].quantity).toBe(99);
    await expect(inTenant(owner, (tx) => cart.add(tx, scope, conversation, zobo.id, 100))).rejects.toMatchObject({
      code: 'invalid_quantity',
    });

    // A price change shows at once; a deactivated product drops out of the view.
    await t
      .http()
      .patch(`${productsUrl(owner)}/${rice.id}`)
      .set(owner.auth)
      .send({ priceMinor: 1000 })
      .expect(200);
    await t
      .http()
      .patch(`${productsUrl(owner)}/${zobo.id}`)
      .set(owner.auth)
      .send({ active: false })
      .expect(200);
    expect(await inTenant(owner, (tx) => cart.view(tx, scope, conversation))).toMatchObject({
      lines: [{ productId: rice.id, unitPriceMinor: 1000, quantity: 2, lineTotalMinor: 2000 }],
      totalMinor: 2000,
      itemCount: 2,
    });
    await t
      .http()
      .patch(`${productsUrl(owner)}/${zobo.id}`)
      .set(owner.auth)
      .send({ active: true })
      .expect(200);

    const afterRemove = await inTenant(owner, (tx) => cart.remove(tx, scope, conversation, rice.id));
    expect(afterRemove.lines.map((line) => line.productId)).toEqual([zobo.id]);
    await expect(inTenant(owner, (tx) => cart.remove(tx, scope, conversation, rice.id))).rejects.toMatchObject({
      code: 'not_in_cart',
    });

    // Deleting a product takes it out of every cart.
    await t
      .http()
      .delete(`${productsUrl(owner)}/${zobo.id}`)
      .set(owner.auth)
      .expect(204);
    const [{ count }] = await inTenant(owner, (tx) =>
      tx.query(`SELECT count(*)::int AS count FROM cart_items WHERE product_id = $1`, [zobo.id]),
    );
    expect(count).toBe(0);

    await inTenant(owner, (tx) => cart.add(tx, scope, conversation, rice.id, 1));
    expect(await inTenant(owner, (tx) => cart.clear(tx, scope, conversation))).toMatchObject({
      lines: [],
      totalMinor: 0,
    });
  });

  it('refuses products out of stock, inactive, unknown, of another business or in another currency', async () => {
    const owner = await signUp(t);
    const scope = { tenantId: owner.tenantId };
    const conversation = await createConversation(owner);
    const soldOut = await createProduct(owner, { name: 'Suya', priceMinor: 2000, stock: 0 });
    const inactive = await createProduct(owner, { name: 'Old', priceMinor: 100, active: false });
    const naira = await createProduct(owner, { name: 'Zobo', priceMinor: 500 });
    const dollars = await createProduct(owner, { name: 'Import', priceMinor: 500, currency: 'USD' });
    const foreign = await createProduct(await signUp(t), { name: 'Elsewhere', priceMinor: 100 });

    const add = (productId: string) => inTenant(owner, (tx) => cart.add(tx, scope, conversation, productId, 1));
    await expect(add(soldOut.id)).rejects.toMatchObject({ code: 'out_of_stock', kind: 'conflict' });
    for (const productId of [inactive.id, foreign.id, randomUUID(), 'not-an-id']) {
      await expect(add(productId)).rejects.toMatchObject({ code: 'not_found' });
    }
    await add(naira.id);
    await expect(add(dollars.id)).rejects.toMatchObject({ code: 'currency_mismatch' });

    // Another business cannot put its own product into this business's conversation.
    const other = await signUp(t);
    const theirs = await createProduct(other, { name: 'Theirs', priceMinor: 100 });
    await expect(
      inTenant(other, (tx) => cart.add(tx, { tenantId: other.tenantId }, conversation, theirs.id, 1)),
    ).rejects.toMatchObject({ code: 'not_found', message: 'Conversation not found' });
    expect((await inTenant(owner, (tx) => cart.view(tx, scope, conversation))).lines).toHaveLength(1);
  });

  it('fills the cart from a catalog order, replacing quantities and reporting SKUs it could not add', async () => {
    const owner = await signUp(t);
    const scope = { tenantId: owner.tenantId };
    const conversation = await createConversation(owner);
    const rice = await createProduct(owner, { name: 'Jollof Rice', priceMinor: 2500, sku: 'RICE' });
    const zobo = await createProduct(owner, { name: 'Zobo', priceMinor: 500, sku: 'ZOBO' });
    const chapman = await createProduct(owner, { name: 'Chapman', priceMinor: 700, sku: 'CHAP' });
    await createProduct(owner, { name: 'Suya', priceMinor: 2000, sku: 'SUYA', stock: 0 });
    await createProduct(owner, { name: 'Old', priceMinor: 100, sku: 'OLD', active: false });
    await inTenant(owner, (tx) => cart.add(tx, scope, conversation, rice.id, 7));
    await inTenant(owner, (tx) => cart.add(tx, scope, conversation, chapman.id, 1));

    const { cart: view, unmatched } = await inTenant(owner, (tx) =>
      cart.fillFromCatalogOrder(tx, scope, conversation, [
        { sku: 'RICE', quantity: 2 },
        { sku: 'ZOBO', quantity: 150 },
        { sku: 'NOPE', quantity: 1 },
        { sku: 'SUYA', quantity: 1 },
        { sku: 'OLD', quantity: 1 },
      ]),
    );
    expect(unmatched).toEqual(['NOPE', 'SUYA', 'OLD']);
    expect(view.lines.map((line) => [line.productId, line.quantity])).toEqual([
      [rice.id, 2],
      [chapman.id, 1],
      [zobo.id, 99],
    ]);
    expect(view.totalMinor).toBe(2 * 2500 + 700 + 99 * 500);

    const zero = await inTenant(owner, (tx) =>
      cart.fillFromCatalogOrder(tx, scope, conversation, [{ sku: 'CHAP', quantity: 0 }]),
    );
    expect(zero.cart.lines.find((line) => line.productId === chapman.id)?.quantity).toBe(1);

    // Nothing matched: no cart is made for a fresh conversation.
    const fresh = await createConversation(owner);
    const none = await inTenant(owner, (tx) =>
      cart.fillFromCatalogOrder(tx, scope, fresh, [{ sku: 'NOPE', quantity: 3 }]),
    );
    expect(none).toEqual({ cart: { lines: [], totalMinor: 0, currency: null, itemCount: 0 }, unmatched: ['NOPE'] });
    const [{ count }] = await inTenant(owner, (tx) =>
      tx.query(`SELECT count(*)::int AS count FROM carts WHERE conversation_id = $1`, [fresh]),
    );
    expect(count).toBe(0);
  });

  it('keeps every unit when 20 adds of the same product run at once', async () => {
    const owner = await signUp(t);
    const scope = { tenantId: owner.tenantId };
    const conversation = await createConversation(owner);
    const zobo = await createProduct(owner, { name: 'Zobo', priceMinor: 500 });

    await Promise.all(
      Array.from({ length: 20 }, () => inTenant(owner, (tx) => cart.add(tx, scope, conversation, zobo.id, 1))),
    );
    const view = await inTenant(owner, (tx) => cart.view(tx, scope, conversation));
    expect(view.lines).toEqual([expect.objectContaining({ productId: zobo.id, quantity: 20 })]);
    const [{ carts }] = await inTenant(owner, (tx) =>
      tx.query(`SELECT count(*)::int AS carts FROM carts WHERE conversation_id = $1`, [conversation]),
    );
    expect(carts).toBe(1);
  });
});
