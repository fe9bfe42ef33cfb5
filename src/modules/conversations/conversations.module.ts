import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '../channels/outbox/outbox.module.js';
import { CommerceModule } from '../commerce/commerce.module.js';
import { ConversationsService } from './conversations.service.js';
import { CommandExecutor } from './engine/command-executor.js';
import { ConversationEngine } from './engine/conversation-engine.js';
import { Contact } from './entities/contact.entity.js';
import { Conversation } from './entities/conversation.entity.js';
import { Message } from './entities/message.entity.js';
import { MessagesService } from './messages.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Contact, Conversation, Message]), OutboxModule, CommerceModule],
  providers: [ConversationsService, MessagesService, CommandExecutor, ConversationEngine],
  exports: [ConversationsService, MessagesService, ConversationEngine, CommandExecutor],
})
export class ConversationsModule {}
