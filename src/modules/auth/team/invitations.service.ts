import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import type { AuthUser, TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { randomToken, sha256Hex } from '../../../common/crypto/tokens.js';
import { AuditService } from '../../audit/audit.service.js';
import { MembershipsService } from '../../tenants/memberships.service.js';
import { TenantErrors } from '../../tenants/tenants.errors.js';
import { AuthErrors } from '../auth.errors.js';
import { AcceptInvitationDto, InviteDto } from '../dto/auth.dto.js';
import { Invitation } from '../entities/invitation.entity.js';
import { TokenPair, TokenService } from '../token.service.js';
import { toUserView, UserView, UsersService } from '../users.service.js';

export const INVITATION_TTL_HOURS = 72;

@Injectable()
export class InvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly memberships: MembershipsService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  /** Creates a single-use invitation; the token is returned once and stored hashed. */
  async invite(ctx: TenantContext, dto: InviteDto, origin: RequestOrigin) {
    if (dto.role === 'owner' && ctx.role !== 'owner') throw TenantErrors.ownerOnly();
    const token = randomToken();
    const invitation = await this.dataSource.getRepository(Invitation).save({
      tenantId: ctx.tenantId,
      email: dto.email,
      role: dto.role,
      tokenHash: sha256Hex(token),
      invitedBy: ctx.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_HOURS * 3_600_000),
    });
    await this.audit.record(ctx, {
      action: 'membership.invited',
      actorUserId: ctx.userId,
      origin,
      target: { type: 'invitation', id: invitation.id },
      details: { role: dto.role },
    });
    return {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
      token,
    };
  }

  /**
   * Accepts with a new account (name + password) or as the signed-in user. The claim is
   * one UPDATE … WHERE accepted_at IS NULL, so a token works exactly once.
   */
  async accept(
    dto: AcceptInvitationDto,
    caller: AuthUser | undefined,
    origin: RequestOrigin,
  ): Promise<{ user: UserView; tenantId: string; role: string } & Partial<TokenPair>> {
    const pending = await this.dataSource.getRepository(Invitation).findOneBy({
      tokenHash: sha256Hex(dto.token),
      acceptedAt: IsNull(),
      revokedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
    if (!pending) throw AuthErrors.invitationInvalid();
    if (caller && caller.email.toLowerCase() !== pending.email) throw AuthErrors.invitationEmailMismatch();
    if (!caller && (!dto.name || !dto.password)) throw AuthErrors.invitationNeedsAccount();

    const user = await this.dataSource.transaction(async (tx) => {
      const claimed = await tx.update(
        Invitation,
        // Re-checked here, not only at the lookup: a revocation or expiry in between wins.
        { id: pending.id, acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        { acceptedAt: () => 'now()' },
      );
      if (!claimed.affected) throw AuthErrors.invitationInvalid();
      const user = caller
        ? await this.users.get(caller.userId)
        : await this.users.create(tx, { email: pending.email, name: dto.name!, password: dto.password! });
      await this.memberships.add(tx, pending.tenantId, user.id, pending.role);
      return user;
    });
    await this.audit.record(
      { tenantId: pending.tenantId },
      {
        action: 'membership.joined',
        actorUserId: user.id,
        origin,
        target: { type: 'user', id: user.id },
        details: { role: pending.role, invitationId: pending.id },
      },
    );
    const tokens = caller ? {} : await this.tokens.issue(user, origin);
    return { user: toUserView(user), tenantId: pending.tenantId, role: pending.role, ...tokens };
  }
}
