import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import { PutNotificationSettingsDto } from './notification-settings.dto.js';
import { NotificationSettingsService } from './notification-settings.service.js';

@ApiTags('notifications')
@Controller('v1/tenants/:tenantId/notification-settings')
export class NotificationSettingsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  // Staff may see why a customer could not be told; changing how is the business's call.
  @TenantRoute()
  @Get()
  get(@Ctx() ctx: TenantContext) {
    return this.settings.get(ctx);
  }

  @TenantRoute('owner', 'admin')
  @Put()
  put(@Ctx() ctx: TenantContext, @Body() dto: PutNotificationSettingsDto, @Origin() origin: RequestOrigin) {
    return this.settings.put(ctx, dto, origin);
  }
}
