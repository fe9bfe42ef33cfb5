import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ACCESS_METADATA,
  ALLOWED_WHILE_PENDING_DELETION,
  AuthenticatedRequest,
  RouteAccess,
} from '../../common/auth/route-access.js';
import type { AuthUser, Role } from '../../common/auth/roles.js';
import { Errors } from '../../common/errors/app-error.js';
import { isUuid } from '../../common/uuid.js';
import { AppConfig } from '../../config/app-config.js';
import { MembershipsService } from '../tenants/memberships.service.js';
import { TenantErrors } from '../tenants/tenants.errors.js';
import { TokenService } from './token.service.js';

/**
 * The one global gate. Deny by default: a route that declares no access needs a
 * signed-in user. Tenant routes then need a membership of that tenant (404 otherwise,
 * so tenant ids cannot be probed) and an allowed role (403); a business waiting for
 * deletion answers only the routes marked `@AllowedWhilePendingDeletion()`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly memberships: MembershipsService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]) ?? { kind: 'user' };
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (access.kind === 'public') return true;
    const user = this.authenticate(request);
    if (access.kind === 'optional_user') {
      request.authUser = user;
      return true;
    }
    if (!user) throw Errors.unauthorized();
    request.authUser = user;
    switch (access.kind) {
      case 'user':
        return true;
      case 'platform_admin':
        // Not an admin: answer as for an unknown route.
        if (!this.config.platformAdminEmails.includes(user.email.toLowerCase())) throw Errors.notFound('Route');
        return true;
      case 'tenant': {
        const allowedWhilePending = this.reflector.getAllAndOverride<boolean | undefined>(
          ALLOWED_WHILE_PENDING_DELETION,
          [context.getHandler(), context.getClass()],
        );
        request.tenantContext = await this.tenantContext(request, user, access.roles, allowedWhilePending ?? false);
        return true;
      }
    }
  }

  private authenticate(request: AuthenticatedRequest): AuthUser | undefined {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header) : null;
    const claims = match ? this.tokens.verifyAccess(match[1]) : undefined;
    return claims ? { userId: claims.sub, email: claims.email } : undefined;
  }

  private async tenantContext(
    request: AuthenticatedRequest,
    user: AuthUser,
    roles: readonly Role[],
    allowedWhilePendingDeletion: boolean,
  ) {
    const tenantId = (request.params as Record<string, string | undefined>).tenantId;
    const membership = isUuid(tenantId) ? await this.memberships.find(tenantId, user.userId) : undefined;
    if (!tenantId || !membership) throw Errors.notFound('Tenant');
    if (membership.tenantStatus === 'suspended') throw TenantErrors.suspended();
    if (membership.tenantStatus === 'pending_deletion' && !allowedWhilePendingDeletion) {
      throw TenantErrors.pendingDeletion();
    }
    if (!roles.includes(membership.role)) throw Errors.forbidden(`This needs the ${roles.join(' or ')} role`);
    return { tenantId, userId: user.userId, role: membership.role };
  }
}
