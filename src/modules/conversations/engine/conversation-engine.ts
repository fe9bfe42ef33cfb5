import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';
import type { InboundContent } from '../../channels/meta/meta-events.js';
import { CartService } from '../../commerce/cart.service.js';
import { botAnswers, type CommerceStep, nextMode, nextStep } from '../conversation-state.js';
import type { Conversation } from '../entities/conversation.entity.js';
import { MessagesService } from '../messages.service.js';
import { type Command, parseCommand, parseInteractiveId } from './command-parser.js';
import { CommandExecutor, type Execution } from './command-executor.js';
import * as reply from './replies.js';

/** A human is offered after this many messages in a row that the bot did not understand. */
export const MISUNDERSTANDINGS_BEFORE_HUMAN = 3;

export interface InboundTurn {
  conversation: Conversation;
  messageId: string;
  content: InboundContent;
  context: reply.ReplyContext;
}

/**
 * Decides what one customer message does. Runs inside the inbound processor's tenant
 * transaction, under the conversation's advisory lock: state changes and the replies
 * it queues commit together or not at all. Returns the outbox ids it added.
 */
@Injectable()
export class ConversationEngine {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly carts: CartService,
    private readonly messages: MessagesService,
  ) {}

  async handle(tx: EntityManager, scope: TenantScope, turn: InboundTurn): Promise<string[]> {
    const { conversation } = turn;
    // Staff own the conversation: the bot stays silent.
    if (!botAnswers(conversation.mode)) return [];
    const execution = await this.decide(tx, scope, turn);
    await this.applyState(tx, scope, conversation, execution, stepAfter(turn.content));
    const outboxIds: string[] = [];
    for (const payload of execution.replies) {
      outboxIds.push(
        await this.messages.recordReply(tx, scope, conversation, {
          source: 'fallback',
          payload,
          inReplyToId: turn.messageId,
        }),
      );
    }
    return outboxIds;
  }

  private async decide(tx: EntityManager, scope: TenantScope, turn: InboundTurn): Promise<Execution> {
    const { content, conversation, context } = turn;
    switch (content.kind) {
      case 'order':
        return this.catalogOrder(tx, scope, conversation.id, context, content.items);
      case 'media':
      case 'location':
      case 'unsupported':
        return { replies: [reply.textOnly()], understood: true };
      case 'reaction':
        return { replies: [], understood: true };
      case 'text':
      case 'button':
      case 'list': {
        const execution = await this.executor.execute(tx, scope, conversation.id, context, commandOf(content));
        if (execution.understood) return execution;
        const offerHuman = conversation.misunderstandings + 1 >= MISUNDERSTANDINGS_BEFORE_HUMAN;
        return { replies: [reply.help(context, offerHuman)], understood: false };
      }
    }
  }

  private async catalogOrder(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    context: reply.ReplyContext,
    items: { sku: string; quantity: number }[],
  ): Promise<Execution> {
    const { cart, unmatched } = await this.carts.fillFromCatalogOrder(tx, scope, conversationId, items);
    const lead = unmatched.length ? reply.unmatchedCatalogItems(unmatched.length) : 'Got your order from our catalog.';
    return { replies: [reply.cart(context, cart, lead)], understood: true };
  }

  private async applyState(
    tx: EntityManager,
    scope: TenantScope,
    conversation: Conversation,
    execution: Execution,
    step: CommerceStep | undefined,
  ): Promise<void> {
    const mode = execution.escalate
      ? nextMode(conversation.mode, 'escalated')
      : conversation.mode === 'resolved'
        ? nextMode('resolved', 'bot')
        : conversation.mode;
    const commerceStep = step ? nextStep(conversation.commerceStep, step) : conversation.commerceStep;
    const misunderstandings = execution.understood ? 0 : conversation.misunderstandings + 1;
    await tx.query(
      `UPDATE conversations SET mode = $3, commerce_step = $4, misunderstandings = $5, last_message_at = now(),
         escalated_at = CASE WHEN $3 = 'escalated' AND mode <> 'escalated' THEN now() ELSE escalated_at END
       WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, conversation.id, mode, commerceStep, misunderstandings],
    );
    Object.assign(conversation, { mode, commerceStep, misunderstandings });
  }
}

function commandOf(content: InboundContent & { kind: 'text' | 'button' | 'list' }): Command {
  if (content.kind === 'text') return parseCommand(content.text);
  return parseInteractiveId(content.id) ?? parseCommand(content.title);
}

/** The commerce step a message moves the conversation to, when it moves it. */
function stepAfter(content: InboundContent): CommerceStep | undefined {
  if (content.kind === 'order') return 'cart';
  if (content.kind !== 'text' && content.kind !== 'button' && content.kind !== 'list') return undefined;
  const command = commandOf(content);
  switch (command.type) {
    case 'add_to_cart':
      return 'cart';
    case 'clear_cart':
    case 'cancel':
      return 'browsing';
    default:
      return undefined;
  }
}
