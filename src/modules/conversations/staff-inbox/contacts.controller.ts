import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Ctx, TenantRoute } from '../../../common/auth/route-access.js';
import type { TenantContext } from '../../../common/auth/roles.js';
import { ListContactsQuery } from '../dto/list-contacts.query.js';
import { ContactsReadService } from './contacts-read.service.js';

@ApiTags('contacts')
@Controller('v1/tenants/:tenantId/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsReadService) {}

  @TenantRoute()
  @Get()
  list(@Ctx() ctx: TenantContext, @Query() query: ListContactsQuery) {
    return this.contacts.list(ctx, query);
  }

  @TenantRoute()
  @ApiParam({ name: 'contactId', format: 'uuid' })
  @Get(':contactId')
  get(@Ctx() ctx: TenantContext, @Param('contactId') contactId: string) {
    return this.contacts.get(ctx, contactId);
  }
}
