import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../../common/auth/roles.js';
import {
  AllowedWhilePendingDeletion,
  Ctx,
  Origin,
  type RequestOrigin,
  TenantRoute,
} from '../../../common/auth/route-access.js';
import { RateLimit } from '../../../common/http/rate-limit.js';
import { DeleteTenantDto } from './dto/delete-tenant.dto.js';
import { TenantDeletionService } from './tenant-deletion.service.js';

/** Deleting a business (owners only, password re-entered) and restoring it during the grace period. */
@ApiTags('tenants')
@Controller('v1/tenants/:tenantId')
export class TenantDeletionController {
  constructor(private readonly deletion: TenantDeletionService) {}

  /** 202: scheduled; the business is removed for good after the grace period. */
  @TenantRoute('owner')
  @RateLimit('credentials')
  @HttpCode(202)
  @Delete()
  delete(@Ctx() ctx: TenantContext, @Body() dto: DeleteTenantDto, @Origin() origin: RequestOrigin) {
    return this.deletion.request(ctx, dto.password, origin);
  }

  @TenantRoute('owner')
  @AllowedWhilePendingDeletion()
  @HttpCode(200)
  @Post('restore')
  restore(@Ctx() ctx: TenantContext, @Origin() origin: RequestOrigin) {
    return this.deletion.restore(ctx, origin);
  }
}
