import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels.module.js';
import { ChannelConnectionsModule } from '../connections/channel-connections.module.js';
import { ReplySignals } from './reply-signals.service.js';
import { WebchatChannels } from './webchat-channels.service.js';
import { WebchatSessionLimiter } from './webchat-session-limiter.js';
import { WebchatSessionGuard } from './webchat-session.guard.js';
import { WebchatSessions } from './webchat-sessions.service.js';
import { WebchatTranscript } from './webchat-transcript.service.js';
import { WebchatController } from './webchat.controller.js';
import { WebchatService } from './webchat.service.js';

/**
 * The web chat channel: sessions, messages into the inbox like any webhook's, and replies
 * read back by long-poll. WebchatChannels is exported for the HTTP bootstrap, which asks it
 * for each channel's allowed origins (CORS).
 */
@Module({
  imports: [ChannelsModule, ChannelConnectionsModule],
  controllers: [WebchatController],
  providers: [
    WebchatService,
    WebchatChannels,
    WebchatSessions,
    WebchatSessionGuard,
    WebchatSessionLimiter,
    WebchatTranscript,
    ReplySignals,
  ],
  exports: [WebchatChannels],
})
export class WebchatModule {}
