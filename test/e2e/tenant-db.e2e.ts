import { randomUUID } from 'node:crypto';
import { sqlLiteral, TenantDb } from '../../src/database/tenant-db.js';
import { Product } from '../../src/modules/commerce/entities/product.entity.js';
import { signUp } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tenantDb: TenantDb;
beforeAll(async () => {
  t = await startTestApp();
  tenantDb = t.app.get(TenantDb);
});
afterAll(() => t.close());

const productsWithSku = (tenantId: string, sku: string) =>
  tenantDb.run({ tenantId }, (tx) => tx.query<{ name: string }[]>(`SELECT name FROM products WHERE sku = $1`, [sku]));
const newProduct = (tenantId: string, sku: string, name = 'Zobo') => ({
  tenantId,
  name,
  description: null,
  priceMinor: 50_000,
  currency: 'NGN',
  sku,
  active: true,
  stock: null,
});

describe('TenantDb.run', () => {
  it('rolls back a repository save together with the transaction it ran in', async () => {
    const { tenantId } = await signUp(t);
    const sku = `SKU-${randomUUID()}`;
    await expect(
      tenantDb.run({ tenantId }, async (tx) => {
        await tx.getRepository(Product).save(newProduct(tenantId, sku));
        throw new Error('the rest of the work failed');
      }),
    ).rejects.toThrow('the rest of the work failed');

    expect(await productsWithSku(tenantId, sku)).toEqual([]);
  });

  it('rolls a nested transaction back to its savepoint and commits the work around it', async () => {
    const { tenantId } = await signUp(t);
    const sku = `SKU-${randomUUID()}`;
    await tenantDb.run({ tenantId }, async (tx) => {
      await tx.getRepository(Product).save(newProduct(tenantId, sku, 'kept'));
      await tx
        .transaction(async (nested) => {
          await nested.getRepository(Product).save(newProduct(tenantId, sku, 'rolled back'));
          throw new Error('inner step failed');
        })
        .catch(() => undefined);
    });

    expect(await productsWithSku(tenantId, sku)).toEqual([{ name: 'kept' }]);
  });

  it('shows only the pinned tenant’s rows and refuses writing another tenant’s', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const sku = `SKU-${randomUUID()}`;
    await tenantDb.run({ tenantId: a.tenantId }, (tx) => tx.getRepository(Product).save(newProduct(a.tenantId, sku)));

    expect(await productsWithSku(b.tenantId, sku)).toEqual([]);
    await expect(
      tenantDb.run({ tenantId: b.tenantId }, (tx) => tx.getRepository(Product).insert(newProduct(a.tenantId, sku))),
    ).rejects.toThrow(/row-level security/);
  });
});

describe('TenantDb.runStatements', () => {
  const insertProduct = (tenantId: string, sku: string) =>
    `INSERT INTO products (tenant_id, name, price_minor, currency, sku, active)
     VALUES (${sqlLiteral(tenantId)}, 'Chapman', 120000, 'NGN', ${sqlLiteral(sku)}, true) RETURNING name`;

  it('runs each statement with its own tenant pinned, in one transaction', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const [skuA, skuB] = [`SKU-${randomUUID()}`, `SKU-${randomUUID()}`];
    const results = await tenantDb.runStatements([
      { tenantId: a.tenantId, sql: insertProduct(a.tenantId, skuA) },
      { tenantId: b.tenantId, sql: insertProduct(b.tenantId, skuB) },
    ]);

    expect(results).toEqual([[{ name: 'Chapman' }], [{ name: 'Chapman' }]]);
    expect(await productsWithSku(a.tenantId, skuA)).toHaveLength(1);
    expect(await productsWithSku(b.tenantId, skuB)).toHaveLength(1);
    expect(await productsWithSku(a.tenantId, skuB)).toEqual([]);
  });

  it('keeps nothing when one statement writes for a tenant other than its own', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const sku = `SKU-${randomUUID()}`;
    await expect(
      tenantDb.runStatements([
        { tenantId: a.tenantId, sql: insertProduct(a.tenantId, sku) },
        { tenantId: a.tenantId, sql: insertProduct(b.tenantId, sku) },
      ]),
    ).rejects.toThrow(/row-level security/);

    expect(await productsWithSku(a.tenantId, sku)).toEqual([]);
    expect(await productsWithSku(b.tenantId, sku)).toEqual([]);
    // The connection went back to the pool clean: the next transaction works.
    expect(await tenantDb.runStatements([{ tenantId: a.tenantId, sql: insertProduct(a.tenantId, sku) }])).toHaveLength(
      1,
    );
  });

  it('keeps a quote or backslash in a literal as data', async () => {
    const { tenantId } = await signUp(t);
    const sku = `O'Neil\\'; DROP TABLE products; --${randomUUID()}`;
    await tenantDb.runStatements([{ tenantId, sql: insertProduct(tenantId, sku) }]);

    expect(await productsWithSku(tenantId, sku)).toHaveLength(1);
  });
});
