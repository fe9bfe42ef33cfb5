import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { ChannelConnectionsModule } from './connections/channel-connections.module.js';
import { InboundQueue } from './pipeline/inbound.queue.js';
import { InboxService } from './pipeline/inbox.service.js';
import { MetaIngestService } from './webhooks/meta-ingest.service.js';
import { MetaWebhookController } from './webhooks/meta-webhook.controller.js';

/** Bytes in: provider webhooks and the web chat, stored durably and enqueued. */
@Module({
  imports: [ChannelConnectionsModule, ConversationsModule],
  controllers: [MetaWebhookController],
  providers: [InboxService, InboundQueue, MetaIngestService],
  exports: [InboxService, InboundQueue],
})
export class ChannelsModule {}
