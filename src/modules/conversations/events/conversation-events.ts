import type { Mode } from '../conversation-state.js';
import type { MessageDirection, MessageSource } from '../entities/message.entity.js';

/**
 * What staff are told about as it happens (server-sent events) and what in-process
 * listeners react to (auto-assignment, alerts). Ids only: an event never carries message
 * text or personal data, which clients fetch through the authenticated API.
 */
export type ConversationEvent =
  | {
      type: 'message.created';
      conversationId: string;
      messageId: string;
      direction: MessageDirection;
      source: MessageSource;
    }
  | { type: 'conversation.escalated'; conversationId: string }
  | { type: 'conversation.assigned'; conversationId: string; assigneeId: string | null }
  | { type: 'conversation.mode_changed'; conversationId: string; from: Mode; to: Mode };

export interface TenantEvent {
  tenantId: string;
  event: ConversationEvent;
  at: string;
}

/** The name under which events are emitted in-process (EventEmitter2). */
export const CONVERSATION_EVENT = 'conversation.event';
