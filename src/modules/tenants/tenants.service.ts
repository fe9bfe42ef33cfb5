import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TenantContext } from '../../common/auth/roles.js';
import type { RequestOrigin } from '../../common/auth/route-access.js';
import { decodeKeyset, Page, pageSize, PageQuery, toKeysetPage, withPositions } from '../../common/http/pagination.js';
import { AuditService } from '../audit/audit.service.js';
import { UpdateTenantDto } from './dto/update-tenant.dto.js';
import { Tenant } from './entities/tenant.entity.js';
import { TenantErrors } from './tenants.errors.js';
import { toTenantView, TenantView } from './tenant.views.js';

@Injectable()
export class TenantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Creates a business inside the caller's transaction (signup creates its owner with it). */
  async create(tx: EntityManager, input: { name: string; currency?: string }): Promise<Tenant> {
    return tx
      .getRepository(Tenant)
      .save(tx.getRepository(Tenant).create({ name: input.name, currency: input.currency ?? 'NGN', status: 'active' }));
  }

  async get(tenantId: string): Promise<Tenant> {
    const tenant = await this.dataSource.getRepository(Tenant).findOneBy({ id: tenantId });
    if (!tenant) throw TenantErrors.notFound();
    return tenant;
  }

  async view(ctx: TenantContext): Promise<TenantView> {
    return toTenantView(await this.get(ctx.tenantId));
  }

  async update(ctx: TenantContext, dto: UpdateTenantDto, origin: RequestOrigin): Promise<TenantView> {
    const changed = Object.keys(dto).filter((k) => dto[k as keyof UpdateTenantDto] !== undefined);
    if (changed.length > 0) {
      await this.dataSource.getRepository(Tenant).update({ id: ctx.tenantId }, dto);
      await this.audit.record(ctx, {
        action: 'tenant.settings_changed',
        actorUserId: ctx.userId,
        target: { type: 'tenant', id: ctx.tenantId },
        origin,
        details: { fields: changed },
      });
    }
    return this.view(ctx);
  }

  async list(query: PageQuery): Promise<Page<TenantView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    const qb = this.dataSource
      .getRepository(Tenant)
      .createQueryBuilder('t')
      .orderBy('t.createdAt', 'DESC')
      .addOrderBy('t.id', 'DESC');
    if (after) qb.where('(t.createdAt, t.id) < (:at::timestamptz, :id::uuid)', { at: after.at, id: after.id });
    return toKeysetPage(await withPositions(qb.take(limit + 1), 't.createdAt'), limit, toTenantView);
  }

  /** Suspends or reinstates a business; returns false when it already was in that state. */
  async setSuspended(tenantId: string, suspended: boolean): Promise<boolean> {
    await this.get(tenantId);
    const result = await this.dataSource
      .getRepository(Tenant)
      .createQueryBuilder()
      .update()
      .set(suspended ? { status: 'suspended', suspendedAt: () => 'now()' } : { status: 'active', suspendedAt: null })
      .where('id = :tenantId AND status = :from', { tenantId, from: suspended ? 'active' : 'suspended' })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
