import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Origin, PlatformAdminRoute, type RequestOrigin } from '../../common/auth/route-access.js';
import type { AuthUser } from '../../common/auth/roles.js';
import { PageQuery } from '../../common/http/pagination.js';
import { AuditService } from '../audit/audit.service.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { QueueInspectorService } from './queue-inspector.service.js';

@ApiTags('platform admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly queues: QueueInspectorService,
    private readonly audit: AuditService,
  ) {}

  @PlatformAdminRoute()
  @Get('tenants')
  listTenants(@Query() query: PageQuery) {
    return this.tenants.list(query);
  }

  @PlatformAdminRoute()
  @HttpCode(200)
  @Post('tenants/:tenantId/suspend')
  suspend(
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @CurrentUser() admin: AuthUser,
    @Origin() origin: RequestOrigin,
  ) {
    return this.setSuspended(tenantId, true, admin, origin);
  }

  @PlatformAdminRoute()
  @HttpCode(200)
  @Post('tenants/:tenantId/unsuspend')
  unsuspend(
    @Param('tenantId', ParseUUIDPipe) tenantId: string,
    @CurrentUser() admin: AuthUser,
    @Origin() origin: RequestOrigin,
  ) {
    return this.setSuspended(tenantId, false, admin, origin);
  }

  @PlatformAdminRoute()
  @Get('queues')
  queueReport() {
    return this.queues.report();
  }

  @PlatformAdminRoute()
  @HttpCode(200)
  @Post('queues/:queue/retry-failed')
  retryFailed(@Param('queue') queue: string) {
    return this.queues.retryFailed(queue);
  }

  private async setSuspended(tenantId: string, suspended: boolean, admin: AuthUser, origin: RequestOrigin) {
    const changed = await this.tenants.setSuspended(tenantId, suspended);
    if (changed) {
      await this.audit.record(
        { tenantId },
        {
          action: suspended ? 'tenant.suspended' : 'tenant.unsuspended',
          actorUserId: admin.userId,
          actorType: 'platform_admin',
          origin,
          target: { type: 'tenant', id: tenantId },
        },
      );
    }
    return { tenantId, status: suspended ? 'suspended' : 'active' };
  }
}
