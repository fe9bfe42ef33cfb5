import { Injectable } from '@nestjs/common';
import type { Role, TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { assertUuid } from '../../../common/uuid.js';
import { AuditService } from '../../audit/audit.service.js';
import { MembershipsService } from '../../tenants/memberships.service.js';
import { TenantErrors } from '../../tenants/tenants.errors.js';
import type { MemberView } from '../../tenants/tenant.views.js';
import { UsersService } from '../users.service.js';

/** The people of a business: memberships joined with the accounts behind them. */
@Injectable()
export class MembersService {
  constructor(
    private readonly memberships: MembershipsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: TenantContext): Promise<MemberView[]> {
    const memberships = await this.memberships.listForTenant(ctx.tenantId);
    const users = new Map((await this.users.findMany(memberships.map((m) => m.userId))).map((u) => [u.id, u]));
    return memberships.flatMap((m) => {
      const user = users.get(m.userId);
      return user
        ? [{ userId: m.userId, email: user.email, name: user.name, role: m.role, joinedAt: m.createdAt.toISOString() }]
        : [];
    });
  }

  async changeRole(ctx: TenantContext, userId: string, role: Role, origin: RequestOrigin): Promise<MemberView> {
    assertUuid(userId, 'Member');
    await this.assertMayManage(ctx, userId, role);
    const { previous } = await this.memberships.changeRole(ctx.tenantId, userId, role);
    await this.audit.record(ctx, {
      action: 'membership.role_changed',
      actorUserId: ctx.userId,
      origin,
      target: { type: 'user', id: userId },
      details: { from: previous, to: role },
    });
    const member = (await this.list(ctx)).find((m) => m.userId === userId);
    if (!member) throw TenantErrors.memberNotFound();
    return member;
  }

  async remove(ctx: TenantContext, userId: string, origin: RequestOrigin): Promise<void> {
    assertUuid(userId, 'Member');
    await this.assertMayManage(ctx, userId);
    const { previous } = await this.memberships.remove(ctx.tenantId, userId);
    await this.audit.record(ctx, {
      action: 'membership.removed',
      actorUserId: ctx.userId,
      origin,
      target: { type: 'user', id: userId },
      details: { role: previous },
    });
  }

  /** Only an owner may touch an owner or make one; admins manage admins and staff. */
  private async assertMayManage(ctx: TenantContext, userId: string, newRole?: Role): Promise<void> {
    if (ctx.role === 'owner') return;
    const target = await this.memberships.find(ctx.tenantId, userId);
    if (!target) throw TenantErrors.memberNotFound();
    if (target.role === 'owner' || newRole === 'owner') throw TenantErrors.ownerOnly();
  }
}
