import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import { ConversationActionsService } from './conversation-actions.service.js';
import { AssignDto } from './dto/assign.dto.js';
import { StaffReplyDto } from './dto/staff-reply.dto.js';
import { StaffRepliesService } from './staff-replies.service.js';

/** The staff inbox, write side: every member of the business works conversations. */
@ApiTags('conversations')
@ApiParam({ name: 'conversationId', format: 'uuid' })
@Controller('v1/tenants/:tenantId/conversations/:conversationId')
export class ConversationActionsController {
  constructor(
    private readonly actions: ConversationActionsService,
    private readonly replies: StaffRepliesService,
  ) {}

  @TenantRoute()
  @HttpCode(200)
  @Post('assign')
  assign(
    @Ctx() ctx: TenantContext,
    @Param('conversationId') conversationId: string,
    @Body() dto: AssignDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.actions.assign(ctx, conversationId, dto.userId, origin);
  }

  @TenantRoute()
  @HttpCode(200)
  @Post('escalate')
  escalate(
    @Ctx() ctx: TenantContext,
    @Param('conversationId') conversationId: string,
    @Origin() origin: RequestOrigin,
  ) {
    return this.actions.change(ctx, conversationId, 'escalate', origin);
  }

  @TenantRoute()
  @HttpCode(200)
  @Post('resolve')
  resolve(@Ctx() ctx: TenantContext, @Param('conversationId') conversationId: string, @Origin() origin: RequestOrigin) {
    return this.actions.change(ctx, conversationId, 'resolve', origin);
  }

  @TenantRoute()
  @HttpCode(200)
  @Post('return-to-bot')
  returnToBot(
    @Ctx() ctx: TenantContext,
    @Param('conversationId') conversationId: string,
    @Origin() origin: RequestOrigin,
  ) {
    return this.actions.change(ctx, conversationId, 'return_to_bot', origin);
  }

  @TenantRoute()
  @HttpCode(200)
  @Post('read')
  read(@Ctx() ctx: TenantContext, @Param('conversationId') conversationId: string) {
    return this.actions.markRead(ctx, conversationId);
  }

  @TenantRoute()
  @Post('messages')
  reply(
    @Ctx() ctx: TenantContext,
    @Param('conversationId') conversationId: string,
    @Body() dto: StaffReplyDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.replies.reply(ctx, conversationId, dto.text, origin);
  }
}
