import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module.js';
import { ConsentModule } from '../../privacy/consent/consent.module.js';
import { TenantsModule } from '../../tenants/tenants.module.js';
import { ChannelsModule } from '../channels.module.js';
import { ChannelConnectionsModule } from '../connections/channel-connections.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ChannelSender } from './channel-sender.js';
import { DeliveryService } from './delivery.service.js';
import { InboundPipeline } from './inbound-pipeline.service.js';
import { InboundProcessor, OutboundProcessor } from './pipeline.processors.js';
import { SweeperService } from './sweeper.service.js';

/** The pipeline's workers: loaded only where APP_ROLE runs workers. */
@Module({
  imports: [ChannelsModule, ChannelConnectionsModule, ConversationsModule, OutboxModule, TenantsModule, ConsentModule],
  providers: [InboundPipeline, DeliveryService, ChannelSender, InboundProcessor, OutboundProcessor, SweeperService],
  exports: [SweeperService],
})
export class PipelineWorkerModule {}
