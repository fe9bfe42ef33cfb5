import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { AuditModule } from '../../audit/audit.module.js';
import type { GraphClientOptions } from '../providers/graph-http.js';
import { InstagramClient } from '../providers/instagram.client.js';
import { WhatsAppClient } from '../providers/whatsapp.client.js';
import { ChannelConnectionsService } from './channel-connections.service.js';
import { ChannelRouter } from './channel-router.service.js';
import { ChannelShutdown } from './channel-shutdown.service.js';
import { ChannelsController } from './channels.controller.js';
import { ChannelsService } from './channels.service.js';
import { ChannelRoute } from './entities/channel-route.entity.js';
import { Channel } from './entities/channel.entity.js';
import { MetaTokensService } from './meta-tokens.service.js';

const graphOptions = (config: AppConfig): GraphClientOptions => ({
  baseUrl: config.meta.graphBaseUrl,
  version: config.meta.graphVersion,
  timeoutMs: 10_000,
});

/**
 * Channel connections: the API that connects WhatsApp, Instagram and web chat, the routing
 * index webhooks use to find a tenant, and the Meta clients the outbound processor reuses.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Channel, ChannelRoute]), AuditModule],
  controllers: [ChannelsController],
  providers: [
    ChannelsService,
    ChannelConnectionsService,
    ChannelRouter,
    ChannelShutdown,
    MetaTokensService,
    { provide: WhatsAppClient, inject: [AppConfig], useFactory: (c: AppConfig) => new WhatsAppClient(graphOptions(c)) },
    {
      provide: InstagramClient,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => new InstagramClient(graphOptions(c)),
    },
  ],
  exports: [ChannelsService, ChannelRouter, ChannelShutdown, WhatsAppClient, InstagramClient],
})
export class ChannelConnectionsModule {}
