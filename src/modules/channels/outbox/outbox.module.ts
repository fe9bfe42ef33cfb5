import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxService } from './outbox.service.js';
import { OutboundQueue } from './outbound.queue.js';

/**
 * Only the outbox of the channels module, so that conversations, notifications and
 * payments can queue replies without depending on webhooks and providers.
 */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [OutboxService, OutboundQueue],
  exports: [OutboxService, OutboundQueue],
})
export class OutboxModule {}
