import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { ALLOWED_WHILE_PENDING_DELETION, type AuthenticatedRequest } from '../../common/auth/route-access.js';
import { TenantLifecycle } from './tenant-lifecycle.service.js';
import { TenantErrors } from './tenants.errors.js';

/**
 * Refuses work on a business its owner has deleted: during the grace period its tenant
 * routes answer `tenant_pending_deletion`, apart from the few marked as allowed. An
 * interceptor because it must run after the access guard has built the tenant context,
 * and global so that no route can forget it.
 */
@Injectable()
export class PendingDeletionGate implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly lifecycle: TenantLifecycle,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const tenant = context.switchToHttp().getRequest<AuthenticatedRequest>().tenantContext;
    if (!tenant) return next.handle();
    const allowed = this.reflector.getAllAndOverride<boolean | undefined>(ALLOWED_WHILE_PENDING_DELETION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!allowed && (await this.lifecycle.statusOf(tenant.tenantId)) === 'pending_deletion') {
      throw TenantErrors.pendingDeletion();
    }
    return next.handle();
  }
}
