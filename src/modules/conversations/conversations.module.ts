import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '../ai/ai.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { OutboxModule } from '../channels/outbox/outbox.module.js';
import { CommerceModule } from '../commerce/commerce.module.js';
import { ConsentModule } from '../privacy/consent/consent.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { ConversationsService } from './conversations.service.js';
import { AiTurnService } from './engine/ai-turn.service.js';
import { CheckoutFlow } from './engine/checkout/checkout-flow.js';
import { CheckoutStore } from './engine/checkout/checkout-store.js';
import { CommandExecutor } from './engine/command-executor.js';
import { ConversationEngine } from './engine/conversation-engine.js';
import { Contact } from './entities/contact.entity.js';
import { Conversation } from './entities/conversation.entity.js';
import { Message } from './entities/message.entity.js';
import { ConversationEventsModule } from './events/conversation-events.module.js';
import { MessagesService } from './messages.service.js';
import { ContactsReadService } from './staff-inbox/contacts-read.service.js';
import { ContactsController } from './staff-inbox/contacts.controller.js';
import { ConversationsReadController } from './staff-inbox/conversations-read.controller.js';
import { ConversationsReadService } from './staff-inbox/conversations-read.service.js';
import { AiReportController } from './staff/ai-report.controller.js';
import { AiReportService } from './staff/ai-report.service.js';
import { AssignmentService } from './staff/assignment.service.js';
import { ContactTemplatesController } from './staff/contact-templates.controller.js';
import { ContactTemplatesService } from './staff/contact-templates.service.js';
import { AvailabilityService } from './staff/availability.service.js';
import { ConversationActionsController } from './staff/conversation-actions.controller.js';
import { ConversationActionsService } from './staff/conversation-actions.service.js';
import { InboxSettingsService } from './staff/inbox-settings.service.js';
import { InboxController } from './staff/inbox.controller.js';
import { InboxService } from './staff/inbox.service.js';
import { StaffRepliesService } from './staff/staff-replies.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Contact, Conversation, Message]),
    OutboxModule,
    CommerceModule,
    AuditModule,
    TenantsModule,
    AiModule,
    ConversationEventsModule,
    ConsentModule,
  ],
  controllers: [
    ContactsController,
    ConversationsReadController,
    ConversationActionsController,
    InboxController,
    AiReportController,
    ContactTemplatesController,
  ],
  providers: [
    ConversationsService,
    MessagesService,
    CommandExecutor,
    CheckoutFlow,
    CheckoutStore,
    ConversationEngine,
    AiTurnService,
    ContactsReadService,
    ConversationsReadService,
    AssignmentService,
    ConversationActionsService,
    StaffRepliesService,
    InboxService,
    AvailabilityService,
    InboxSettingsService,
    AiReportService,
    ContactTemplatesService,
  ],
  exports: [
    ConversationsService,
    MessagesService,
    ConversationEngine,
    CommandExecutor,
    AssignmentService,
    AiTurnService,
    ConversationEventsModule,
  ],
})
export class ConversationsModule {}
