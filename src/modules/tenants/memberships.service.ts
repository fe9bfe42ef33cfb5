import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../../common/auth/roles.js';
import { Membership } from './entities/membership.entity.js';
import { Tenant, TenantStatus } from './entities/tenant.entity.js';
import { TenantErrors } from './tenants.errors.js';

export interface MembershipWithTenant {
  tenantId: string;
  tenantName: string;
  tenantStatus: TenantStatus;
  role: Role;
}

/** Who belongs to which business, in which role. Memberships are a platform table. */
@Injectable()
export class MembershipsService {
  constructor(private readonly dataSource: DataSource) {}

  /** One user's membership of one tenant, with the tenant's status; undefined when none. */
  async find(tenantId: string, userId: string): Promise<MembershipWithTenant | undefined> {
    const [row] = await this.membershipsWithTenants()
      .where('m.tenantId = :tenantId AND m.userId = :userId', { tenantId, userId })
      .getRawMany<MembershipWithTenant>();
    return row;
  }

  listForUser(userId: string): Promise<MembershipWithTenant[]> {
    return this.membershipsWithTenants().where('m.userId = :userId', { userId }).orderBy('t.name').getRawMany();
  }

  listForTenant(tenantId: string): Promise<Membership[]> {
    return this.dataSource.getRepository(Membership).find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  async add(tx: EntityManager, tenantId: string, userId: string, role: Role): Promise<void> {
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(Membership)
      .values({ tenantId, userId, role })
      .orIgnore()
      .execute();
    if (!(result.raw as unknown[]).length) throw TenantErrors.alreadyMember();
  }

  /** Changes a role; refuses to leave the business without an owner. */
  changeRole(tenantId: string, userId: string, role: Role): Promise<{ previous: Role }> {
    return this.dataSource.transaction(async (tx) => {
      const member = await this.lockMember(tx, tenantId, userId);
      if (member.role === 'owner' && role !== 'owner') await this.assertAnotherOwner(tx, tenantId, userId);
      await tx.update(Membership, { tenantId, userId }, { role });
      return { previous: member.role };
    });
  }

  /** Removes a member; refuses to remove the last owner. */
  remove(tenantId: string, userId: string): Promise<{ previous: Role }> {
    return this.dataSource.transaction(async (tx) => {
      const member = await this.lockMember(tx, tenantId, userId);
      if (member.role === 'owner') await this.assertAnotherOwner(tx, tenantId, userId);
      await tx.delete(Membership, { tenantId, userId });
      return { previous: member.role };
    });
  }

  private membershipsWithTenants() {
    return this.dataSource
      .createQueryBuilder(Membership, 'm')
      .innerJoin(Tenant, 't', 't.id = m.tenantId')
      .select(['m.tenantId AS "tenantId"', 't.name AS "tenantName"', 't.status AS "tenantStatus"', 'm.role AS "role"']);
  }

  private async lockMember(tx: EntityManager, tenantId: string, userId: string): Promise<Membership> {
    // Locking every owner row of the tenant serialises concurrent demotions, so two
    // owners demoting each other at once cannot leave none.
    const owners = await tx
      .createQueryBuilder(Membership, 'm')
      .setLock('pessimistic_write')
      .where('m.tenantId = :tenantId AND (m.role = :owner OR m.userId = :userId)', { tenantId, userId, owner: 'owner' })
      .getMany();
    const member = owners.find((m) => m.userId === userId);
    if (!member) throw TenantErrors.memberNotFound();
    return member;
  }

  private async assertAnotherOwner(tx: EntityManager, tenantId: string, userId: string): Promise<void> {
    const others = await tx
      .createQueryBuilder(Membership, 'm')
      .where('m.tenantId = :tenantId AND m.role = :owner AND m.userId <> :userId', { tenantId, userId, owner: 'owner' })
      .getCount();
    if (others === 0) throw TenantErrors.lastOwner();
  }
}
