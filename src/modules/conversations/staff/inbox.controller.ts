import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import { AvailabilityService } from './availability.service.js';
import { PutAvailabilityDto } from './dto/availability.dto.js';
import { PutInboxSettingsDto } from './dto/inbox-settings.dto.js';
import { InboxQuery } from './dto/inbox.query.js';
import { InboxSettingsService } from './inbox-settings.service.js';
import { InboxService } from './inbox.service.js';

/** The staff inbox, who is taking conversations, and how many each may hold. */
@ApiTags('inbox')
@Controller('v1/tenants/:tenantId')
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly availability: AvailabilityService,
    private readonly settings: InboxSettingsService,
  ) {}

  @TenantRoute()
  @Get('inbox')
  list(@Ctx() ctx: TenantContext, @Query() query: InboxQuery) {
    return this.inbox.list(ctx, query);
  }

  @TenantRoute()
  @Get('me/availability')
  getAvailability(@Ctx() ctx: TenantContext) {
    return this.availability.get(ctx);
  }

  @TenantRoute()
  @Put('me/availability')
  putAvailability(@Ctx() ctx: TenantContext, @Body() dto: PutAvailabilityDto, @Origin() origin: RequestOrigin) {
    return this.availability.set(ctx, dto.status, origin);
  }

  @TenantRoute()
  @Get('inbox-settings')
  getSettings(@Ctx() ctx: TenantContext) {
    return this.settings.get(ctx);
  }

  @TenantRoute('owner', 'admin')
  @Put('inbox-settings')
  putSettings(@Ctx() ctx: TenantContext, @Body() dto: PutInboxSettingsDto, @Origin() origin: RequestOrigin) {
    return this.settings.put(ctx, dto, origin);
  }
}
