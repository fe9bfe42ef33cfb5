import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AllowedWhilePendingDeletion,
  Ctx,
  Origin,
  type RequestOrigin,
  TenantRoute,
} from '../../common/auth/route-access.js';
import type { TenantContext } from '../../common/auth/roles.js';
import { UpdateTenantDto } from './dto/update-tenant.dto.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('tenants')
@Controller('v1/tenants/:tenantId')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @TenantRoute()
  @AllowedWhilePendingDeletion()
  @Get()
  get(@Ctx() ctx: TenantContext) {
    return this.tenants.view(ctx);
  }

  @TenantRoute('owner', 'admin')
  @Patch()
  update(@Ctx() ctx: TenantContext, @Body() dto: UpdateTenantDto, @Origin() origin: RequestOrigin) {
    return this.tenants.update(ctx, dto, origin);
  }
}
