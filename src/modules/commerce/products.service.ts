import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import type { TenantContext } from '../../common/auth/roles.js';
import type { RequestOrigin } from '../../common/auth/route-access.js';
import { decodeKeyset, Page, pageSize, toKeysetPage, withPositions } from '../../common/http/pagination.js';
import { isUuid } from '../../common/uuid.js';
import { TenantDb } from '../../database/tenant-db.js';
import { AuditService } from '../audit/audit.service.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { CommerceErrors } from './commerce.errors.js';
import { CreateProductDto } from './dto/create-product.dto.js';
import { ListProductsQuery } from './dto/list-products.query.js';
import { UpdateProductDto } from './dto/update-product.dto.js';
import { Product } from './entities/product.entity.js';
import { isConstraintViolation } from './pg-errors.js';
import { ProductView, toProductView } from './product.views.js';

/** The catalog as the business manages it. Customers see it through CatalogService. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: TenantContext, dto: CreateProductDto, origin?: RequestOrigin): Promise<ProductView> {
    // Read before the transaction: the tenant is a platform table on its own connection.
    const currency = dto.currency ?? (await this.tenants.get(ctx.tenantId)).currency.trim();
    return this.tenantDb.run(ctx, async (tx) => {
      const repo = tx.getRepository(Product);
      const product = await saveOrSkuTaken(() =>
        repo.save(
          repo.create({
            tenantId: ctx.tenantId,
            name: dto.name,
            description: dto.description ?? null,
            priceMinor: dto.priceMinor,
            currency,
            sku: dto.sku ?? null,
            active: dto.active ?? true,
            stock: dto.stock ?? null,
          }),
        ),
      );
      await this.record(tx, ctx, 'product.created', product.id, origin);
      return toProductView(product);
    });
  }

  /** Catalog order (oldest first), the same order customers see item numbers in. */
  list(ctx: TenantContext, query: ListProductsQuery): Promise<Page<ProductView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    return this.tenantDb.run(ctx, async (tx) => {
      const qb = tx
        .getRepository(Product)
        .createQueryBuilder('p')
        .where('p.tenantId = :tenantId AND p.deletedAt IS NULL', { tenantId: ctx.tenantId })
        .orderBy('p.createdAt', 'ASC')
        .addOrderBy('p.id', 'ASC');
      if (query.active !== undefined) qb.andWhere('p.active = :active', { active: query.active });
      if (query.q) qb.andWhere(`p.name ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(query.q)}%` });
      if (after) qb.andWhere('(p.createdAt, p.id) > (:at::timestamptz, :id::uuid)', { at: after.at, id: after.id });
      return toKeysetPage(await withPositions(qb.take(limit + 1), 'p.createdAt'), limit, toProductView);
    });
  }

  async get(ctx: TenantContext, productId: string): Promise<ProductView> {
    return this.tenantDb.run(ctx, async (tx) => toProductView(await findLive(tx, ctx, productId, false)));
  }

  async update(
    ctx: TenantContext,
    productId: string,
    dto: UpdateProductDto,
    origin?: RequestOrigin,
  ): Promise<ProductView> {
    return this.tenantDb.run(ctx, async (tx) => {
      const product = await findLive(tx, ctx, productId);
      const changes = Object.fromEntries(
        Object.entries(dto).filter(([key, value]) => value !== undefined && value !== product[key as keyof Product]),
      ) as Partial<Product>;
      const fields = Object.keys(changes).sort();
      if (fields.length === 0) return toProductView(product);
      await saveOrSkuTaken(() => tx.getRepository(Product).update({ id: product.id, tenantId: ctx.tenantId }, changes));
      await this.record(tx, ctx, 'product.updated', product.id, origin, { fields });
      return toProductView(await findLive(tx, ctx, product.id, false));
    });
  }

  /**
   * Soft delete: orders and the audit log keep pointing at the row. The SKU is freed by
   * the unique index's `deleted_at IS NULL` predicate, and the product leaves every cart.
   */
  async remove(ctx: TenantContext, productId: string, origin?: RequestOrigin): Promise<void> {
    await this.tenantDb.run(ctx, async (tx) => {
      const product = await findLive(tx, ctx, productId);
      await tx.query(`UPDATE products SET deleted_at = now(), active = false WHERE tenant_id = $1 AND id = $2`, [
        ctx.tenantId,
        product.id,
      ]);
      await tx.query(`DELETE FROM cart_items WHERE tenant_id = $1 AND product_id = $2`, [ctx.tenantId, product.id]);
      await this.record(tx, ctx, 'product.deleted', product.id, origin);
    });
  }

  private record(
    tx: EntityManager,
    ctx: TenantContext,
    action: string,
    productId: string,
    origin: RequestOrigin | undefined,
    details?: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.recordIn(tx, ctx, {
      action,
      actorUserId: ctx.userId,
      target: { type: 'product', id: productId },
      origin,
      details,
    });
  }
}

/**
 * A product the business can still see. Writers lock it, so that an update and a delete
 * of the same product cannot interleave.
 */
async function findLive(tx: EntityManager, ctx: TenantContext, productId: string, forUpdate = true): Promise<Product> {
  // A malformed id cannot name a product: answer as for a missing one.
  if (!isUuid(productId)) throw CommerceErrors.productNotFound();
  const product = await tx.getRepository(Product).findOne({
    where: { id: productId, tenantId: ctx.tenantId, deletedAt: IsNull() },
    ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!product) throw CommerceErrors.productNotFound();
  return product;
}

async function saveOrSkuTaken<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isConstraintViolation(error, '23505', 'products_sku_key')) throw CommerceErrors.skuTaken();
    throw error;
  }
}

/** `%`, `_` and `\` typed by a user are literal characters, not patterns. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
