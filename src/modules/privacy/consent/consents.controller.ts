import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import { ContactConsentsService } from './contact-consents.service.js';
import { PutConsentDto } from './dto/put-consent.dto.js';

/** A contact's consents. Any member may record what a customer asked for; every change is audited. */
@ApiTags('privacy')
@ApiParam({ name: 'contactId', format: 'uuid' })
@Controller('v1/tenants/:tenantId/contacts/:contactId/consents')
export class ConsentsController {
  constructor(private readonly consents: ContactConsentsService) {}

  @TenantRoute()
  @Get()
  get(@Ctx() ctx: TenantContext, @Param('contactId') contactId: string) {
    return this.consents.get(ctx, contactId);
  }

  @TenantRoute()
  @Put()
  put(
    @Ctx() ctx: TenantContext,
    @Param('contactId') contactId: string,
    @Body() dto: PutConsentDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.consents.put(ctx, contactId, dto, origin);
  }
}
