import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { AllowedWhilePendingDeletion, Ctx, TenantRoute } from '../../common/auth/route-access.js';
import type { TenantContext } from '../../common/auth/roles.js';
import { PageQuery } from '../../common/http/pagination.js';
import { AuditService } from './audit.service.js';

class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'auth.login_failed' })
  @IsOptional()
  @Matches(/^[a-z][a-z_]*(\.[a-z_]+)*$/)
  action?: string;
}

@ApiTags('audit')
@Controller('v1/tenants/:tenantId/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @TenantRoute('owner', 'admin')
  @AllowedWhilePendingDeletion()
  @Get()
  list(@Ctx() ctx: TenantContext, @Query() query: AuditQuery) {
    return this.audit.list(ctx, query);
  }
}
