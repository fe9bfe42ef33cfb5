import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import { ContactTemplatesService } from './contact-templates.service.js';
import { SendTemplateDto } from './dto/send-template.dto.js';

/** Marketing messages to one customer: any member may send one, when the customer consents. */
@ApiTags('contacts')
@ApiParam({ name: 'contactId', format: 'uuid' })
@Controller('v1/tenants/:tenantId/contacts/:contactId/templates')
export class ContactTemplatesController {
  constructor(private readonly templates: ContactTemplatesService) {}

  /** 202: queued for delivery; the message's `deliveryStatus` tells how it went. */
  @TenantRoute()
  @HttpCode(202)
  @Post()
  send(
    @Ctx() ctx: TenantContext,
    @Param('contactId') contactId: string,
    @Body() dto: SendTemplateDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.templates.send(ctx, contactId, dto, origin);
  }
}
