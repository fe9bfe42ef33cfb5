import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Origin, Public, type RequestOrigin } from '../../../common/auth/route-access.js';
import {
  PollRepliesQuery,
  SendWebchatMessageDto,
  WebchatAcceptedView,
  WebchatRepliesView,
  WebchatSessionView,
} from './dto/webchat.dto.js';
import { ClientGone, CurrentSession, WebchatSessionGuard } from './webchat-session.guard.js';
import type { WebchatSession } from './webchat-sessions.service.js';
import type { WebchatRepliesPage } from './webchat-transcript.service.js';
import { WebchatService } from './webchat.service.js';

/**
 * The web chat widget's API, called from the business's own site (CORS: the channel's
 * allowed origins). Public to the platform's sign-in; the session token is the customer's
 * identity.
 */
@ApiTags('webchat')
@ApiParam({ name: 'channelId', format: 'uuid' })
@Controller('v1/webchat/:channelId')
export class WebchatController {
  constructor(private readonly webchat: WebchatService) {}

  @Public()
  @ApiCreatedResponse({ type: WebchatSessionView })
  @Post('sessions')
  openSession(@Param('channelId') channelId: string, @Origin() origin: RequestOrigin): Promise<WebchatSessionView> {
    return this.webchat.openSession(channelId, origin.userAgent);
  }

  @Public()
  @UseGuards(WebchatSessionGuard)
  @ApiBearerAuth()
  @ApiAcceptedResponse({ type: WebchatAcceptedView })
  @HttpCode(202)
  @Post('messages')
  async send(
    @CurrentSession() session: WebchatSession,
    @Body() dto: SendWebchatMessageDto,
  ): Promise<WebchatAcceptedView> {
    await this.webchat.send(session, dto);
    return { accepted: true };
  }

  @Public()
  @UseGuards(WebchatSessionGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: WebchatRepliesView })
  @Header('cache-control', 'no-store')
  @Get('messages')
  replies(
    @CurrentSession() session: WebchatSession,
    @Query() query: PollRepliesQuery,
    @ClientGone() gone: AbortSignal,
  ): Promise<WebchatRepliesPage> {
    return this.webchat.replies(session, query, gone);
  }
}
