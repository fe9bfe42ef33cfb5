import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Ctx, TenantRoute } from '../../../common/auth/route-access.js';
import type { TenantContext } from '../../../common/auth/roles.js';
import { PageQuery } from '../../../common/http/pagination.js';
import { ListConversationsQuery } from '../dto/list-conversations.query.js';
import { ConversationsReadService } from './conversations-read.service.js';

/** The staff inbox, read side: every member of the business may read it. */
@ApiTags('conversations')
@Controller('v1/tenants/:tenantId/conversations')
export class ConversationsReadController {
  constructor(private readonly conversations: ConversationsReadService) {}

  @TenantRoute()
  @Get()
  list(@Ctx() ctx: TenantContext, @Query() query: ListConversationsQuery) {
    return this.conversations.list(ctx, query);
  }

  @TenantRoute()
  @ApiParam({ name: 'conversationId', format: 'uuid' })
  @Get(':conversationId')
  get(@Ctx() ctx: TenantContext, @Param('conversationId') conversationId: string) {
    return this.conversations.get(ctx, conversationId);
  }

  @TenantRoute()
  @ApiParam({ name: 'conversationId', format: 'uuid' })
  @Get(':conversationId/messages')
  messages(@Ctx() ctx: TenantContext, @Param('conversationId') conversationId: string, @Query() query: PageQuery) {
    return this.conversations.transcript(ctx, conversationId, query);
  }
}
