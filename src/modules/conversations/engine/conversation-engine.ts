import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';
import { AiSettingsService } from '../../ai/settings/ai-settings.service.js';
import { AiResponder } from '../../ai/turns/ai-responder.js';
import type { InboundContent } from '../../channels/meta/meta-events.js';
import { CartService } from '../../commerce/cart.service.js';
import { botAnswers, nextMode } from '../conversation-state.js';
import type { Conversation } from '../entities/conversation.entity.js';
import type { MessageSource } from '../entities/message.entity.js';
import type { ConversationEvent } from '../events/conversation-events.js';
import { MessagesService } from '../messages.service.js';
import { CheckoutFlow } from './checkout/checkout-flow.js';
import { CheckoutStore } from './checkout/checkout-store.js';
import { type Command, parseCommand, parseInteractiveId } from './command-parser.js';
import { CommandExecutor, type Execution } from './command-executor.js';
import { mentionsHandoffKeyword } from './handoff.js';
import * as reply from './replies.js';

/** A human is offered after this many messages in a row that the bot did not understand. */
export const MISUNDERSTANDINGS_BEFORE_HUMAN = 3;

export interface InboundTurn {
  conversation: Conversation;
  messageId: string;
  content: InboundContent;
  context: reply.ReplyContext;
}

export interface TurnOutcome {
  outboxIds: string[];
  events: ConversationEvent[];
  /** Free text for the AI: nothing was decided, the caller runs an AI turn outside the transaction. */
  needsAi?: { text: string };
}

/**
 * Decides what one customer message does. Runs inside the inbound processor's tenant
 * transaction, under the conversation's advisory lock: state changes and the replies
 * it queues commit together or not at all. An exact command runs here; free text goes to
 * the AI when the business has it on and it is healthy, otherwise to the fallback.
 */
@Injectable()
export class ConversationEngine {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly carts: CartService,
    private readonly messages: MessagesService,
    private readonly aiSettings: AiSettingsService,
    private readonly ai: AiResponder,
    private readonly checkout: CheckoutFlow,
    private readonly steps: CheckoutStore,
  ) {}

  async handle(tx: EntityManager, scope: TenantScope, turn: InboundTurn): Promise<TurnOutcome> {
    const { conversation, content } = turn;
    const command = isWords(content) ? commandOf(content) : undefined;
    // Staff own the conversation and the bot stays silent — except to honour STOP and START,
    // which are the customer's right whoever is answering.
    if (!botAnswers(conversation.mode)) {
      if (command?.type !== 'opt_out' && command?.type !== 'opt_in') return { outboxIds: [], events: [] };
      return this.complete(tx, scope, turn, await this.run(tx, scope, turn, command), 'fallback');
    }
    if (content.kind === 'text' && command) {
      const settings = await this.aiSettings.getIn(tx, scope);
      if (mentionsHandoffKeyword(content.text, settings.handoffKeywords)) {
        return this.complete(tx, scope, turn, await this.run(tx, scope, turn, { type: 'escalate' }), 'fallback');
      }
      // Free text goes to the AI even mid-checkout: it can tell an answer from a question,
      // and it is told which detail was asked for. Without it, the fallback takes it.
      if (command.type === 'unknown' && this.ai.available(scope.tenantId, settings)) {
        return { outboxIds: [], events: [], needsAi: { text: content.text } };
      }
    }
    return this.complete(tx, scope, turn, await this.decide(tx, scope, turn), 'fallback');
  }

  /**
   * The deterministic answer to words that are no command (or that the AI could not take):
   * mid-checkout, the answer to the question asked — or the question again, for a question
   * of the customer's own; otherwise the help reply.
   */
  async fallback(tx: EntityManager, scope: TenantScope, turn: InboundTurn): Promise<Execution> {
    const checkoutTurn = { tx, scope, conversationId: turn.conversation.id, ctx: turn.context };
    const words = wordsOf(turn.content);
    if (words !== undefined && (await this.checkout.pendingQuestion(tx, scope, turn.conversation.id))) {
      const answer = isQuestion(words)
        ? await this.checkout.askAgain(checkoutTurn)
        : await this.checkout.answer(checkoutTurn, words);
      return { replies: [answer], understood: true };
    }
    const offerHuman = turn.conversation.misunderstandings + 1 >= MISUNDERSTANDINGS_BEFORE_HUMAN;
    return { replies: [reply.help(turn.context, offerHuman)], understood: false };
  }

  /** Applies a decision: state changes, then the replies, all in the caller's transaction. */
  async complete(
    tx: EntityManager,
    scope: TenantScope,
    turn: InboundTurn,
    execution: Execution,
    source: Exclude<MessageSource, 'customer' | 'staff'>,
  ): Promise<TurnOutcome> {
    const { conversation } = turn;
    const events = await this.applyState(tx, scope, conversation, execution);
    const outboxIds: string[] = [];
    for (const payload of execution.replies) {
      const { outboxId } = await this.messages.recordReply(tx, scope, conversation, {
        source,
        payload,
        inReplyToId: turn.messageId,
      });
      outboxIds.push(outboxId);
    }
    return { outboxIds, events };
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
        const execution = await this.run(tx, scope, turn, commandOf(content));
        return execution.understood ? execution : this.fallback(tx, scope, turn);
      }
    }
  }

  private run(tx: EntityManager, scope: TenantScope, turn: InboundTurn, command: Command): Promise<Execution> {
    return this.executor.execute(tx, scope, turn.conversation.id, turn.context, command);
  }

  private async catalogOrder(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    context: reply.ReplyContext,
    items: { sku: string; quantity: number }[],
  ): Promise<Execution> {
    const { cart, unmatched } = await this.carts.fillFromCatalogOrder(tx, scope, conversationId, items);
    await this.steps.moveTo(tx, scope, conversationId, 'cart');
    const lead = unmatched.length ? reply.unmatchedCatalogItems(unmatched.length) : 'Got your order from our catalog.';
    return { replies: [reply.cart(context, cart, lead)], understood: true };
  }

  private async applyState(
    tx: EntityManager,
    scope: TenantScope,
    conversation: Conversation,
    execution: Execution,
  ): Promise<ConversationEvent[]> {
    const from = conversation.mode;
    const mode = execution.escalate
      ? nextMode(from, 'escalated')
      : from === 'resolved'
        ? nextMode('resolved', 'bot')
        : from;
    const misunderstandings = execution.understood ? 0 : conversation.misunderstandings + 1;
    await tx.query(
      `UPDATE conversations SET mode = $3, misunderstandings = $4, last_message_at = now(),
         escalated_at = CASE WHEN $3 = 'escalated' AND mode <> 'escalated' THEN now() ELSE escalated_at END,
         resolved_at = CASE WHEN $3 <> 'resolved' THEN NULL ELSE resolved_at END
       WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, conversation.id, mode, misunderstandings],
    );
    Object.assign(conversation, { mode, misunderstandings });
    if (mode === from) return [];
    const changed: ConversationEvent = {
      type: 'conversation.mode_changed',
      conversationId: conversation.id,
      from,
      to: mode,
    };
    return mode === 'escalated'
      ? [changed, { type: 'conversation.escalated', conversationId: conversation.id }]
      : [changed];
  }
}

function isWords(content: InboundContent): content is InboundContent & { kind: 'text' | 'button' | 'list' } {
  return content.kind === 'text' || content.kind === 'button' || content.kind === 'list';
}

function commandOf(content: InboundContent & { kind: 'text' | 'button' | 'list' }): Command {
  if (content.kind === 'text') return parseCommand(content.text);
  return parseInteractiveId(content.id) ?? parseCommand(content.title);
}

/** What the customer wrote or tapped (a tapped answer button carries its answer as its title). */
function wordsOf(content: InboundContent): string | undefined {
  if (content.kind === 'text') return content.text;
  if (content.kind === 'button' || content.kind === 'list') return content.title;
  return undefined;
}

/** "how long is delivery?" is not a name or an address. */
function isQuestion(text: string): boolean {
  return /\?\s*$/u.test(text);
}
