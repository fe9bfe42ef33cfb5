import { Module } from '@nestjs/common';
import { ConversationEventsPublisher } from './conversation-events.publisher.js';
import { TenantEventHub } from './tenant-event-hub.js';
import { TenantEventsController } from './tenant-events.controller.js';
import { UnansweredEscalations } from './unanswered-escalations.service.js';

/**
 * Conversation events, both ways: the publisher that announces a committed change, and
 * the server-sent event stream that delivers it to staff. Cheap to import anywhere: the
 * stream's Redis subscriber opens only when a first client connects, which a worker
 * process never has.
 */
@Module({
  controllers: [TenantEventsController],
  providers: [ConversationEventsPublisher, TenantEventHub, UnansweredEscalations],
  exports: [ConversationEventsPublisher, UnansweredEscalations],
})
export class ConversationEventsModule {}
