/**
 * Normalized events parsed from Meta webhooks (WhatsApp Cloud API and Instagram messaging).
 * Everything downstream of the webhook works with these shapes, never with Meta's JSON.
 */

export type ChannelKind = 'whatsapp' | 'instagram';

export type MediaType = 'image' | 'audio' | 'video' | 'document' | 'sticker' | 'file' | 'share' | 'story_mention';

export interface OrderItem {
  sku: string;
  quantity: number;
  /** Integer minor units (kobo, cents); Meta sends major units. */
  itemPriceMinor?: number;
  currency?: string;
}

export type InboundContent =
  | { kind: 'text'; text: string }
  /** WA interactive button_reply, WA template button, IG quick_reply, IG postback. */
  | { kind: 'button'; id: string; title: string }
  /** WA interactive list_reply. */
  | { kind: 'list'; id: string; title: string }
  | { kind: 'order'; catalogId?: string; text?: string; items: OrderItem[] }
  | {
      kind: 'media';
      mediaType: MediaType;
      mediaId?: string;
      url?: string;
      mimeType?: string;
      caption?: string;
    }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { kind: 'reaction'; messageId: string; emoji?: string }
  | { kind: 'unsupported'; type: string };

export interface InboundMessageEvent {
  type: 'message';
  channel: ChannelKind;
  /** The business side: WA metadata.phone_number_id, IG recipient.id. */
  accountId: string;
  /** The customer: WA from / wa_id, IG sender.id. */
  customerId: string;
  /** WA contacts[].profile.name matched by wa_id. */
  customerName?: string;
  /** wamid / mid: the key that deduplicates Meta's retries. */
  providerMessageId: string;
  sentAt: Date;
  content: InboundContent;
  replyToProviderMessageId?: string;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface DeliveryError {
  code: number;
  title?: string;
  message?: string;
  details?: string;
}

export interface StatusEvent {
  type: 'status';
  channel: ChannelKind;
  accountId: string;
  /** The id of the message we sent. */
  providerMessageId: string;
  status: DeliveryStatus;
  at: Date;
  recipientId?: string;
  error?: DeliveryError;
}

export interface MetaWebhookEvents {
  object: 'whatsapp_business_account' | 'instagram' | 'unknown';
  messages: InboundMessageEvent[];
  statuses: StatusEvent[];
  /** Items that produced no event because they were malformed or not understood. */
  skipped: number;
}
