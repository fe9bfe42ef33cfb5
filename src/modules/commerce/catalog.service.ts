import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../database/tenant-db.js';
import type { ItemRef } from '../conversations/engine/command-parser.js';
import { CatalogItem, CatalogResolution, resolveRef } from './catalog-match.js';
import { Product } from './entities/product.entity.js';

/**
 * The catalog as customers see it, for the conversation engine. Every method runs inside
 * the caller's tenant transaction (`tx`) and never opens one of its own.
 */
@Injectable()
export class CatalogService {
  /** Active products in catalog order (oldest first), numbered from 1 as on the menu. */
  async listActive(tx: EntityManager, scope: TenantScope): Promise<CatalogItem[]> {
    const products = await tx
      .getRepository(Product)
      .createQueryBuilder('p')
      .where('p.tenantId = :tenantId AND p.active AND p.deletedAt IS NULL', { tenantId: scope.tenantId })
      .orderBy('p.createdAt', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getMany();
    return products.map((product, position) => ({
      index: position + 1,
      id: product.id,
      name: product.name,
      description: product.description,
      priceMinor: product.priceMinor,
      currency: product.currency,
      sku: product.sku,
      stock: product.stock,
    }));
  }

  /**
   * The active product a customer's words or button name. Numbers are menu positions, so
   * they are resolved against the same list the menu was rendered from.
   */
  async resolve(tx: EntityManager, scope: TenantScope, ref: ItemRef): Promise<CatalogResolution> {
    return resolveRef(await this.listActive(tx, scope), ref);
  }
}
