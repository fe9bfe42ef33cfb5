import type {
  DeliveryError,
  DeliveryStatus,
  InboundContent,
  InboundMessageEvent,
  MediaType,
  MetaWebhookEvents,
  OrderItem,
  StatusEvent,
} from './meta-events.js';

/*
 * Turns a Meta webhook body into normalized events. The body is whatever arrived on a public
 * URL, so nothing about its shape is trusted: every read is checked, a malformed item is
 * counted in `skipped` and its siblings are still parsed, and no input makes this throw.
 */

// Meta batches at most 1,000 updates per POST; the cap bounds work on anything larger.
const MAX_ITEMS_PER_ARRAY = 10_000;
// Ids and names fit the inbox columns (256): one oversized item must be skipped, not fail
// the whole batch insert and with it the delivery Meta would then retry for days.
const MAX_ID_LENGTH = 256;
const MAX_TEXT_LENGTH = 4096;
const MAX_LABEL_LENGTH = 256;
const MAX_TYPE_LENGTH = 64;
const MAX_EMOJI_LENGTH = 64;
const MAX_URL_LENGTH = 4096;
const WHATSAPP_TIMESTAMP_UNIT_MS = 1000;
const INSTAGRAM_TIMESTAMP_UNIT_MS = 1;
// A Date reaches year 275760, Postgres parses no year past 9999 in the form JSON gives it.
const LATEST_STORABLE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
// Half of a surrogate pair with no other half: Postgres refuses it in jsonb.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed'];
const WHATSAPP_MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;
const INSTAGRAM_MEDIA_TYPES: readonly MediaType[] = ['image', 'video', 'audio', 'file', 'share', 'story_mention'];

type JsonObject = Record<string, unknown>;
/** What one webhook item becomes: an event, a deliberate drop, or a counted skip. */
type Outcome = InboundMessageEvent | StatusEvent | 'ignored' | 'malformed';

export function parseMetaWebhook(body: unknown): MetaWebhookEvents {
  const out: MetaWebhookEvents = { object: 'unknown', messages: [], statuses: [], skipped: 0 };
  // JSON.parse never yields getters or proxies, but a caller might; those can throw on read.
  try {
    const root = asObject(body);
    if (root?.object === 'whatsapp_business_account') {
      out.object = 'whatsapp_business_account';
      forEachIn(root.entry, out, (entry) => parseWhatsAppEntry(entry, out));
    } else if (root?.object === 'instagram') {
      out.object = 'instagram';
      forEachIn(root.entry, out, (entry) => parseInstagramEntry(entry, out));
    } else {
      out.skipped++;
    }
  } catch {
    out.skipped++;
  }
  return out;
}

// ---------------------------------------------------------------- WhatsApp

function parseWhatsAppEntry(entry: unknown, out: MetaWebhookEvents): void {
  forEachIn(asObject(entry)?.changes, out, (change) => parseWhatsAppChange(change, out));
}

function parseWhatsAppChange(change: unknown, out: MetaWebhookEvents): void {
  const fields = asObject(change);
  const value = asObject(fields?.value);
  const accountId = readId(asObject(value?.metadata)?.phone_number_id);
  if (fields?.field !== 'messages' || !value || !accountId) {
    out.skipped++;
    return;
  }
  const names = readContactNames(value.contacts, out);
  // A change carries messages or statuses, so either list may legitimately be absent.
  if (value.messages !== undefined) {
    forEachIn(value.messages, out, (m) => emit(out, parseWhatsAppMessage(m, accountId, names)));
  }
  if (value.statuses !== undefined) {
    forEachIn(value.statuses, out, (s) => emit(out, parseWhatsAppStatus(s, accountId)));
  }
}

function readContactNames(contacts: unknown, out: MetaWebhookEvents): Map<string, string> {
  const names = new Map<string, string>();
  if (!Array.isArray(contacts)) return names;
  forEachIn(contacts, out, (contact) => {
    const waId = readId(asObject(contact)?.wa_id);
    const name = readOptionalText(asObject(asObject(contact)?.profile)?.name, MAX_LABEL_LENGTH);
    if (waId && name) names.set(waId, name);
  });
  return names;
}

function parseWhatsAppMessage(raw: unknown, accountId: string, names: Map<string, string>): Outcome {
  const message = asObject(raw);
  if (!message) return 'malformed';
  const providerMessageId = readId(message.id);
  const customerId = readId(message.from);
  const sentAt = readDate(message.timestamp, WHATSAPP_TIMESTAMP_UNIT_MS);
  const content = readWhatsAppContent(message);
  if (!providerMessageId || !customerId || !sentAt || !content) return 'malformed';
  return withoutUndefined<InboundMessageEvent>({
    type: 'message',
    channel: 'whatsapp',
    accountId,
    customerId,
    customerName: names.get(customerId),
    providerMessageId,
    sentAt,
    content,
    replyToProviderMessageId: readId(asObject(message.context)?.id),
  });
}

function readWhatsAppContent(message: JsonObject): InboundContent | undefined {
  const type = readOptionalText(message.type, MAX_TYPE_LENGTH);
  switch (type) {
    case undefined:
      return undefined;
    case 'text':
      return readTextContent(asObject(message.text)?.body);
    case 'interactive':
      return readWhatsAppInteractive(asObject(message.interactive));
    case 'button': {
      const button = asObject(message.button);
      return readChoice('button', button?.payload, button?.text);
    }
    case 'order':
      return readWhatsAppOrder(asObject(message.order));
    case 'location':
      return readWhatsAppLocation(asObject(message.location));
    case 'reaction':
      return readWhatsAppReaction(asObject(message.reaction));
    default:
      return isWhatsAppMediaType(type)
        ? readWhatsAppMedia(type, asObject(message[type]))
        : { kind: 'unsupported', type };
  }
}

function readWhatsAppInteractive(interactive: JsonObject | undefined): InboundContent | undefined {
  const replyType = readOptionalText(interactive?.type, MAX_TYPE_LENGTH);
  if (!interactive || !replyType) return undefined;
  if (replyType === 'button_reply') {
    const reply = asObject(interactive.button_reply);
    return readChoice('button', reply?.id, reply?.title);
  }
  if (replyType === 'list_reply') {
    const reply = asObject(interactive.list_reply);
    return readChoice('list', reply?.id, reply?.title);
  }
  return { kind: 'unsupported', type: `interactive.${replyType}` };
}

/** A partial cart would bill for something the customer did not pick: one bad item voids it. */
function readWhatsAppOrder(order: JsonObject | undefined): InboundContent | undefined {
  const rawItems = order?.product_items;
  if (!order || !Array.isArray(rawItems) || rawItems.length === 0) return undefined;
  if (rawItems.length > MAX_ITEMS_PER_ARRAY) return undefined;
  const items: OrderItem[] = [];
  for (let i = 0; i < rawItems.length; i++) {
    const item = readOrderItem(rawItems[i]);
    if (!item) return undefined;
    items.push(item);
  }
  return withoutUndefined<InboundContent>({
    kind: 'order',
    catalogId: readId(order.catalog_id),
    text: readOptionalText(order.text, MAX_TEXT_LENGTH),
    items,
  });
}

function readOrderItem(raw: unknown): OrderItem | undefined {
  const item = asObject(raw);
  const sku = readId(item?.product_retailer_id);
  const quantity = readNumber(item?.quantity);
  if (!item || !sku || quantity === undefined || !Number.isSafeInteger(quantity) || quantity <= 0) {
    return undefined;
  }
  return withoutUndefined<OrderItem>({
    sku,
    quantity,
    itemPriceMinor: toMinorUnits(item.item_price),
    currency: readCurrency(item.currency),
  });
}

/** Meta sends prices in major units; money is kept in integer minor units everywhere else. */
function toMinorUnits(value: unknown): number | undefined {
  const major = readNumber(value);
  if (major === undefined || major < 0) return undefined;
  const minor = Math.round(major * 100);
  return Number.isSafeInteger(minor) ? minor : undefined;
}

function readCurrency(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z]{3}$/.test(value) ? value.toUpperCase() : undefined;
}

function readWhatsAppMedia(mediaType: MediaType, media: JsonObject | undefined): InboundContent | undefined {
  if (!media) return undefined;
  return withoutUndefined<InboundContent>({
    kind: 'media',
    mediaType,
    mediaId: readId(media.id),
    mimeType: readOptionalText(media.mime_type, MAX_LABEL_LENGTH),
    caption: readOptionalText(media.caption, MAX_TEXT_LENGTH),
  });
}

function readWhatsAppLocation(location: JsonObject | undefined): InboundContent | undefined {
  const latitude = readNumber(location?.latitude);
  const longitude = readNumber(location?.longitude);
  if (!location || latitude === undefined || longitude === undefined) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return withoutUndefined<InboundContent>({
    kind: 'location',
    latitude,
    longitude,
    name: readOptionalText(location.name, MAX_LABEL_LENGTH),
    address: readOptionalText(location.address, MAX_LABEL_LENGTH),
  });
}

/** WhatsApp omits the emoji when the customer removes a reaction. */
function readWhatsAppReaction(reaction: JsonObject | undefined): InboundContent | undefined {
  const messageId = readId(reaction?.message_id);
  if (!messageId) return undefined;
  return withoutUndefined<InboundContent>({
    kind: 'reaction',
    messageId,
    emoji: readOptionalText(reaction?.emoji, MAX_EMOJI_LENGTH),
  });
}

function parseWhatsAppStatus(raw: unknown, accountId: string): Outcome {
  const status = asObject(raw);
  const providerMessageId = readId(status?.id);
  const deliveryStatus = readDeliveryStatus(status?.status);
  const at = readDate(status?.timestamp, WHATSAPP_TIMESTAMP_UNIT_MS);
  if (!status || !providerMessageId || !deliveryStatus || !at) return 'malformed';
  return withoutUndefined<StatusEvent>({
    type: 'status',
    channel: 'whatsapp',
    accountId,
    providerMessageId,
    status: deliveryStatus,
    at,
    recipientId: readId(status.recipient_id),
    error: readFirstError(status.errors),
  });
}

function readFirstError(errors: unknown): DeliveryError | undefined {
  const error = Array.isArray(errors) ? asObject(errors[0]) : undefined;
  const code = readNumber(error?.code);
  if (!error || code === undefined || !Number.isSafeInteger(code)) return undefined;
  return withoutUndefined<DeliveryError>({
    code,
    title: readOptionalText(error.title, MAX_LABEL_LENGTH),
    message: readOptionalText(error.message, MAX_LABEL_LENGTH),
    details: readOptionalText(asObject(error.error_data)?.details, MAX_LABEL_LENGTH),
  });
}

function isWhatsAppMediaType(type: string): type is (typeof WHATSAPP_MEDIA_TYPES)[number] {
  return (WHATSAPP_MEDIA_TYPES as readonly string[]).includes(type);
}

// ---------------------------------------------------------------- Instagram

interface InstagramEnvelope {
  accountId: string;
  customerId: string;
  at: Date;
}

function parseInstagramEntry(entry: unknown, out: MetaWebhookEvents): void {
  forEachIn(asObject(entry)?.messaging, out, (event) => emit(out, parseInstagramEvent(event)));
}

function parseInstagramEvent(raw: unknown): Outcome {
  const event = asObject(raw);
  // Echoes are our own outbound messages; checked first so a partial echo is not miscounted.
  if (asObject(event?.message)?.is_echo === true) return 'ignored';
  const customerId = readId(asObject(event?.sender)?.id);
  const accountId = readId(asObject(event?.recipient)?.id);
  const at = readDate(event?.timestamp, INSTAGRAM_TIMESTAMP_UNIT_MS);
  if (!event || !customerId || !accountId || !at) return 'malformed';
  const envelope: InstagramEnvelope = { accountId, customerId, at };
  const { message, postback, reaction, read } = event;
  if (message !== undefined) return parseInstagramMessage(asObject(message), envelope);
  if (postback !== undefined) return parseInstagramPostback(asObject(postback), envelope);
  if (reaction !== undefined) return parseInstagramReaction(asObject(reaction), envelope);
  if (read !== undefined) return parseInstagramRead(asObject(read), envelope);
  return 'malformed';
}

function parseInstagramMessage(message: JsonObject | undefined, envelope: InstagramEnvelope): Outcome {
  const providerMessageId = readId(message?.mid);
  const content = message && readInstagramContent(message);
  if (!providerMessageId || !content) return 'malformed';
  return instagramMessageEvent(envelope, providerMessageId, content, readId(asObject(message.reply_to)?.mid));
}

function readInstagramContent(message: JsonObject): InboundContent | undefined {
  // An unsent message arrives again with is_deleted; the consumer decides what to do with it.
  if (message.is_deleted === true) return { kind: 'unsupported', type: 'deleted' };
  // A tapped quick reply arrives as text equal to its title, plus the payload we chose.
  const quickReply = asObject(message.quick_reply);
  if (quickReply) return readChoice('button', quickReply.payload, message.text);
  // The content type holds one media item; further attachments of the same mid are dropped.
  if (Array.isArray(message.attachments) && message.attachments.length > 0) {
    return readInstagramAttachment(asObject(message.attachments[0]));
  }
  if (message.is_unsupported === true) return { kind: 'unsupported', type: 'unsupported' };
  return readTextContent(message.text);
}

function readInstagramAttachment(attachment: JsonObject | undefined): InboundContent | undefined {
  const type = readOptionalText(attachment?.type, MAX_TYPE_LENGTH);
  if (!attachment || !type) return undefined;
  if (!INSTAGRAM_MEDIA_TYPES.includes(type as MediaType)) {
    return { kind: 'unsupported', type: `attachment.${type}` };
  }
  return withoutUndefined<InboundContent>({
    kind: 'media',
    mediaType: type as MediaType,
    url: readHttpsUrl(asObject(attachment.payload)?.url),
  });
}

function parseInstagramPostback(postback: JsonObject | undefined, envelope: InstagramEnvelope): Outcome {
  const providerMessageId = readId(postback?.mid);
  const content = readChoice('button', postback?.payload, postback?.title);
  if (!providerMessageId || !content) return 'malformed';
  return instagramMessageEvent(envelope, providerMessageId, content);
}

/**
 * A reaction has no mid of its own, so the id is derived from what it reacts to, who reacted
 * and when: stable across Meta's retries, distinct for a later change of reaction.
 */
function parseInstagramReaction(reaction: JsonObject | undefined, envelope: InstagramEnvelope): Outcome {
  const messageId = readId(reaction?.mid);
  if (!reaction || !messageId) return 'malformed';
  const emoji = reaction.action === 'unreact' ? undefined : readOptionalText(reaction.emoji, MAX_EMOJI_LENGTH);
  const providerMessageId = `reaction:${messageId}:${envelope.customerId}:${envelope.at.getTime()}`;
  return instagramMessageEvent(
    envelope,
    providerMessageId,
    withoutUndefined<InboundContent>({ kind: 'reaction', messageId, emoji }),
  );
}

/** Only a read receipt naming a mid can update a message; the older watermark form cannot. */
function parseInstagramRead(read: JsonObject | undefined, envelope: InstagramEnvelope): Outcome {
  if (!read) return 'malformed';
  const providerMessageId = readId(read.mid);
  if (!providerMessageId) return 'ignored';
  return {
    type: 'status',
    channel: 'instagram',
    accountId: envelope.accountId,
    providerMessageId,
    status: 'read',
    at: envelope.at,
    recipientId: envelope.customerId,
  };
}

function instagramMessageEvent(
  envelope: InstagramEnvelope,
  providerMessageId: string,
  content: InboundContent,
  replyToProviderMessageId?: string,
): InboundMessageEvent {
  return withoutUndefined<InboundMessageEvent>({
    type: 'message',
    channel: 'instagram',
    accountId: envelope.accountId,
    customerId: envelope.customerId,
    providerMessageId,
    sentAt: envelope.at,
    content,
    replyToProviderMessageId,
  });
}

// ---------------------------------------------------------------- shared readers

/** A non-array, an element that throws and each element past the cap count as skipped. */
function forEachIn(items: unknown, out: MetaWebhookEvents, visit: (item: unknown) => void): void {
  if (!Array.isArray(items)) {
    out.skipped++;
    return;
  }
  const visible = Math.min(items.length, MAX_ITEMS_PER_ARRAY);
  out.skipped += items.length - visible;
  for (let i = 0; i < visible; i++) {
    try {
      visit(items[i]);
    } catch {
      out.skipped++;
    }
  }
}

function emit(out: MetaWebhookEvents, outcome: Outcome): void {
  if (outcome === 'ignored') return;
  if (outcome === 'malformed') out.skipped++;
  else if (outcome.type === 'message') out.messages.push(outcome);
  else out.statuses.push(outcome);
}

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** Ids key deduplication, so an oversized or odd one is refused, never truncated or cleaned. */
function readId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH) return undefined;
  if (value.trim() === '' || /[\u0000-\u001f\u007f]/.test(value) || LONE_SURROGATE.test(value)) return undefined;
  return value;
}

function readTextContent(value: unknown): InboundContent | undefined {
  const text = readOptionalText(value, MAX_TEXT_LENGTH);
  return text === undefined ? undefined : { kind: 'text', text };
}

function readChoice(kind: 'button' | 'list', id: unknown, title: unknown): InboundContent | undefined {
  const choiceId = readId(id);
  if (!choiceId) return undefined;
  return { kind, id: choiceId, title: readOptionalText(title, MAX_LABEL_LENGTH) ?? '' };
}

/**
 * Text is cut to a sane length and loses NUL characters, which Postgres text columns refuse;
 * a lone surrogate, which its jsonb columns refuse, becomes U+FFFD.
 */
function readOptionalText(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = truncate(value.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\uFFFD'), maxLength);
  return text === '' ? undefined : text;
}

function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  // Cutting between the halves of a surrogate pair would leave a lone, invalid half.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Numbers may arrive as JSON numbers or numeric strings (WhatsApp's timestamps are strings). */
function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d{1,20}(\.\d{1,20})?$/.test(value)) return Number(value);
  return undefined;
}

function readDate(value: unknown, unitMs: number): Date | undefined {
  const amount = readNumber(value);
  if (amount === undefined || amount < 0) return undefined;
  const date = new Date(amount * unitMs);
  return Number.isNaN(date.getTime()) || date.getTime() > LATEST_STORABLE_MS ? undefined : date;
}

function readDeliveryStatus(value: unknown): DeliveryStatus | undefined {
  return DELIVERY_STATUSES.find((status) => status === value);
}

/** Media URLs are fetched by our servers later, so only https ones are passed on. */
function readHttpsUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH || LONE_SURROGATE.test(value)) return undefined;
  return /^https:\/\/[^\s]+$/i.test(value) ? value : undefined;
}

/** Optional fields are left out rather than set to undefined, so events compare and log cleanly. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
