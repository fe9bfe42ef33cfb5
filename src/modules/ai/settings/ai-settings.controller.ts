import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import { PutAiSettingsDto } from './ai-settings.dto.js';
import { AiSettingsService } from './ai-settings.service.js';

@ApiTags('ai')
@Controller('v1/tenants/:tenantId/ai-settings')
export class AiSettingsController {
  constructor(private readonly settings: AiSettingsService) {}

  @TenantRoute('owner', 'admin')
  @Get()
  get(@Ctx() ctx: TenantContext) {
    return this.settings.get(ctx);
  }

  @TenantRoute('owner', 'admin')
  @Put()
  put(@Ctx() ctx: TenantContext, @Body() dto: PutAiSettingsDto, @Origin() origin: RequestOrigin) {
    return this.settings.put(ctx, dto, origin);
  }
}
