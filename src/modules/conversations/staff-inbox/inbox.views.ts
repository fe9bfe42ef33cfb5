import type { CommerceStep, Mode } from '../conversation-state.js';
import type { DeliveryStatus, MessageDirection, MessageSource } from '../entities/message.entity.js';

// What staff see of contacts, conversations and transcripts, and the rows they are read from.

export interface ContactView {
  id: string;
  channelId: string;
  displayName: string | null;
  phone: string | null;
  externalRef: string;
  lastInboundAt: string | null;
  createdAt: string;
}

export interface ConversationView {
  id: string;
  contact: { id: string; displayName: string | null; phone: string | null };
  channelId: string;
  mode: Mode;
  commerceStep: CommerceStep;
  assigneeId: string | null;
  lastInboundAt: string | null;
  lastMessageAt: string | null;
  createdAt: string;
  /** The customer wrote less than 24 hours ago: a free-form reply may still be sent. */
  windowOpen: boolean;
}

export interface MessageView {
  id: string;
  direction: MessageDirection;
  source: MessageSource;
  body: string;
  content: Record<string, unknown>;
  deliveryStatus: DeliveryStatus | null;
  providerMessageId: string | null;
  errorCode: string | null;
  errorReason: string | null;
  inReplyToId: string | null;
  authorUserId: string | null;
  createdAt: string;
  statusAt: string | null;
}

export interface ContactRow {
  id: string;
  channel_id: string;
  display_name: string | null;
  phone: string | null;
  external_ref: string;
  last_inbound_at: Date | null;
  created_at: Date;
  position: string;
}

export interface ConversationRow {
  id: string;
  contact_id: string;
  contact_display_name: string | null;
  contact_phone: string | null;
  channel_id: string;
  mode: Mode;
  commerce_step: CommerceStep;
  assignee_id: string | null;
  last_inbound_at: Date | null;
  last_message_at: Date | null;
  created_at: Date;
  window_open: boolean;
  position: string | null;
}

export interface MessageRow {
  id: string;
  direction: MessageDirection;
  source: MessageSource;
  body: string;
  content: Record<string, unknown>;
  delivery_status: DeliveryStatus | null;
  provider_message_id: string | null;
  error_code: string | null;
  error_reason: string | null;
  in_reply_to_id: string | null;
  author_user_id: string | null;
  created_at: Date;
  status_at: Date | null;
  position: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toContactView(row: ContactRow): ContactView {
  return {
    id: row.id,
    channelId: row.channel_id,
    displayName: row.display_name,
    phone: row.phone,
    externalRef: row.external_ref,
    lastInboundAt: iso(row.last_inbound_at),
    createdAt: row.created_at.toISOString(),
  };
}

export function toConversationView(row: ConversationRow): ConversationView {
  return {
    id: row.id,
    contact: { id: row.contact_id, displayName: row.contact_display_name, phone: row.contact_phone },
    channelId: row.channel_id,
    mode: row.mode,
    commerceStep: row.commerce_step,
    assigneeId: row.assignee_id,
    lastInboundAt: iso(row.last_inbound_at),
    lastMessageAt: iso(row.last_message_at),
    createdAt: row.created_at.toISOString(),
    windowOpen: row.window_open,
  };
}

export function toMessageView(row: MessageRow): MessageView {
  return {
    id: row.id,
    direction: row.direction,
    source: row.source,
    body: row.body,
    content: row.content,
    deliveryStatus: row.delivery_status,
    providerMessageId: row.provider_message_id,
    errorCode: row.error_code,
    errorReason: row.error_reason,
    inReplyToId: row.in_reply_to_id,
    authorUserId: row.author_user_id,
    createdAt: row.created_at.toISOString(),
    statusAt: iso(row.status_at),
  };
}
