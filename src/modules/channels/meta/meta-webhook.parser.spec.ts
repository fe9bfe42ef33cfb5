import type { InboundMessageEvent, MetaWebhookEvents } from './meta-events.js';
import { parseMetaWebhook } from './meta-webhook.parser.js';
import { seededRandom } from '../../../../test/support/seeded-random.js';

const PHONE_NUMBER_ID = '106540352242922';
const WA_CUSTOMER = '2348012345678';
const WA_SECONDS = '1732260000';
const IG_ACCOUNT = '17841400000000000';
const IG_CUSTOMER = '5566778899';
const IG_MILLIS = 1732260000123;

let sequence = 0;
const nextId = (prefix: string): string => `${prefix}${++sequence}`;

// ------------------------------------------------------------ WhatsApp factories

function waBody(...entries: unknown[]) {
  return { object: 'whatsapp_business_account', entry: entries };
}

function waEntry(...changes: unknown[]) {
  return { id: nextId('waba-'), changes };
}

function waChange(value: Record<string, unknown>, phoneNumberId = PHONE_NUMBER_ID) {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
      ...value,
    },
  };
}

function waMessage(type: string, fields: Record<string, unknown> = {}) {
  return { from: WA_CUSTOMER, id: nextId('wamid.'), timestamp: WA_SECONDS, type, ...fields };
}

function waStatus(status: string, fields: Record<string, unknown> = {}) {
  return {
    id: nextId('wamid.'),
    status,
    timestamp: WA_SECONDS,
    recipient_id: WA_CUSTOMER,
    ...fields,
  };
}

function waMessagesBody(...messages: unknown[]) {
  return waBody(waEntry(waChange({ contacts: [{ profile: { name: 'Ada' }, wa_id: WA_CUSTOMER }], messages })));
}

function onlyWaMessage(message: unknown): InboundMessageEvent {
  const result = parseMetaWebhook(waMessagesBody(message));
  expect(result.skipped).toBe(0);
  expect(result.messages).toHaveLength(1);
  return result.messages[0];
}

// ------------------------------------------------------------ Instagram factories

function igBody(...entries: unknown[]) {
  return { object: 'instagram', entry: entries };
}

function igEntry(...messaging: unknown[]) {
  return { id: IG_ACCOUNT, time: IG_MILLIS, messaging };
}

function igEvent(fields: Record<string, unknown>, customer = IG_CUSTOMER) {
  return {
    sender: { id: customer },
    recipient: { id: IG_ACCOUNT },
    timestamp: IG_MILLIS,
    ...fields,
  };
}

function igMessage(message: Record<string, unknown>) {
  return { ...igEvent({}), message: { mid: nextId('aWdfZAG'), ...message } };
}

function onlyIgMessage(event: unknown): InboundMessageEvent {
  const result = parseMetaWebhook(igBody(igEntry(event)));
  expect(result.skipped).toBe(0);
  expect(result.messages).toHaveLength(1);
  return result.messages[0];
}

// ------------------------------------------------------------ WhatsApp

describe('parseMetaWebhook — WhatsApp messages', () => {
  it('normalizes a text message with the sender’s profile name and the routing number', () => {
    const message = waMessage('text', { text: { body: 'hi' } });
    expect(onlyWaMessage(message)).toEqual({
      type: 'message',
      channel: 'whatsapp',
      accountId: PHONE_NUMBER_ID,
      customerId: WA_CUSTOMER,
      customerName: 'Ada',
      providerMessageId: message.id,
      sentAt: new Date(1732260000 * 1000),
      content: { kind: 'text', text: 'hi' },
    });
  });

  it('reports the object kind', () => {
    expect(parseMetaWebhook(waBody()).object).toBe('whatsapp_business_account');
  });

  it('matches each sender to their own contact name', () => {
    const other = '447700900123';
    const result = parseMetaWebhook(
      waBody(
        waEntry(
          waChange({
            contacts: [
              { profile: { name: 'Bola' }, wa_id: other },
              { profile: { name: 'Ada' }, wa_id: WA_CUSTOMER },
            ],
            messages: [
              waMessage('text', { text: { body: 'one' } }),
              { ...waMessage('text', { text: { body: 'two' } }), from: other },
              { ...waMessage('text', { text: { body: 'three' } }), from: '15550009999' },
            ],
          }),
        ),
      ),
    );
    expect(result.messages.map((m) => [m.customerId, m.customerName])).toEqual([
      [WA_CUSTOMER, 'Ada'],
      [other, 'Bola'],
      ['15550009999', undefined],
    ]);
    expect('customerName' in result.messages[2]).toBe(false);
  });

  it('reads an interactive button reply', () => {
    const message = waMessage('interactive', {
      interactive: { type: 'button_reply', button_reply: { id: 'confirm:42', title: 'Confirm' } },
    });
    expect(onlyWaMessage(message).content).toEqual({
      kind: 'button',
      id: 'confirm:42',
      title: 'Confirm',
    });
  });

  it('reads an interactive list reply', () => {
    const message = waMessage('interactive', {
      interactive: {
        type: 'list_reply',
        list_reply: { id: 'product:sku-1', title: 'Jollof rice', description: 'Large' },
      },
    });
    expect(onlyWaMessage(message).content).toEqual({
      kind: 'list',
      id: 'product:sku-1',
      title: 'Jollof rice',
    });
  });

  it('marks an interactive reply of another kind as unsupported', () => {
    const message = waMessage('interactive', { interactive: { type: 'nfm_reply', nfm_reply: {} } });
    expect(onlyWaMessage(message).content).toEqual({
      kind: 'unsupported',
      type: 'interactive.nfm_reply',
    });
  });

  it('reads a template quick-reply button', () => {
    const message = waMessage('button', {
      button: { payload: 'STOP_PROMOS', text: 'Stop promotions' },
    });
    expect(onlyWaMessage(message).content).toEqual({
      kind: 'button',
      id: 'STOP_PROMOS',
      title: 'Stop promotions',
    });
  });

  it('reads a catalog order and converts prices to integer minor units', () => {
    const message = waMessage('order', {
      order: {
        catalog_id: 'cat-1',
        text: 'for pickup',
        product_items: [
          { product_retailer_id: 'sku-1', quantity: 2, item_price: 19.99, currency: 'NGN' },
          { product_retailer_id: 'sku-2', quantity: 1, item_price: 1500, currency: 'ngn' },
          { product_retailer_id: 'sku-3', quantity: 3 },
        ],
      },
    });
    expect(onlyWaMessage(message).content).toEqual({
      kind: 'order',
      catalogId: 'cat-1',
      text: 'for pickup',
      items: [
        { sku: 'sku-1', quantity: 2, itemPriceMinor: 1999, currency: 'NGN' },
        { sku: 'sku-2', quantity: 1, itemPriceMinor: 150000, currency: 'NGN' },
        { sku: 'sku-3', quantity: 3 },
      ],
    });
  });

  // Each of these prices multiplies to a float just off the integer (0.29 * 100 = 28.999999999999996).
  it.each([
    [0.07, 7],
    [0.29, 29],
    [1.15, 115],
    [4.35, 435],
    [8.2, 820],
    [1234.56, 123456],
    [99999.99, 9999999],
  ])('converts %d major units to exactly %d minor units', (price, minor) => {
    const message = waMessage('order', {
      order: {
        product_items: [{ product_retailer_id: 'sku', quantity: 1, item_price: price, currency: 'USD' }],
      },
    });
    const content = onlyWaMessage(message).content;
    expect(content.kind === 'order' && content.items[0].itemPriceMinor).toBe(minor);
  });

  it.each([
    ['a zero quantity', { product_retailer_id: 'sku', quantity: 0 }],
    ['a fractional quantity', { product_retailer_id: 'sku', quantity: 1.5 }],
    ['a missing sku', { quantity: 1 }],
    ['an item that is not an object', 'sku'],
  ])('voids a whole order containing %s', (_label, badItem) => {
    const message = waMessage('order', {
      order: { product_items: [{ product_retailer_id: 'ok', quantity: 1 }, badItem] },
    });
    const result = parseMetaWebhook(waMessagesBody(message));
    expect(result.messages).toEqual([]);
    expect(result.skipped).toBe(1);
  });

  it.each(['image', 'audio', 'video', 'document', 'sticker'])('reads %s media', (type) => {
    const message = waMessage(type, {
      [type]: {
        id: 'media-1',
        mime_type: 'application/octet-stream',
        sha256: 'abc',
        caption: 'look',
      },
    });
    expect(onlyWaMessage(message).content).toEqual({
      kind: 'media',
      mediaType: type,
      mediaId: 'media-1',
      mimeType: 'application/octet-stream',
      caption: 'look',
    });
  });

  it('reads a location', () => {
    const message = waMessage('location', {
      location: { latitude: 6.5244, longitude: 3.3792, name: 'Shop', address: '1 Marina, Lagos' },
    });
    expect(onlyWaMessage(message).content).toEqual({
      kind: 'location',
      latitude: 6.5244,
      longitude: 3.3792,
      name: 'Shop',
      address: '1 Marina, Lagos',
    });
  });

  it('skips a location outside the globe', () => {
    const message = waMessage('location', { location: { latitude: 91, longitude: 0 } });
    expect(parseMetaWebhook(waMessagesBody(message))).toMatchObject({ messages: [], skipped: 1 });
  });

  it('reads a reaction and its removal', () => {
    const reacted = waMessage('reaction', { reaction: { message_id: 'wamid.ours', emoji: '👍' } });
    const removed = waMessage('reaction', { reaction: { message_id: 'wamid.ours' } });
    expect(onlyWaMessage(reacted).content).toEqual({
      kind: 'reaction',
      messageId: 'wamid.ours',
      emoji: '👍',
    });
    expect(onlyWaMessage(removed).content).toEqual({ kind: 'reaction', messageId: 'wamid.ours' });
  });

  it.each(['contacts', 'unsupported', 'system', 'request_welcome'])('marks a %s message as unsupported', (type) => {
    expect(onlyWaMessage(waMessage(type, { [type]: {} })).content).toEqual({
      kind: 'unsupported',
      type,
    });
  });

  it('links a reply to the message it quotes', () => {
    const message = waMessage('text', {
      text: { body: 'this one' },
      context: { from: '15550001111', id: 'wamid.quoted' },
    });
    expect(onlyWaMessage(message).replyToProviderMessageId).toBe('wamid.quoted');
  });

  it.each([
    ['no body', { text: {} }],
    ['an empty body', { text: { body: '' } }],
    ['a numeric body', { text: { body: 42 } }],
  ])('skips a text message with %s', (_label, fields) => {
    expect(parseMetaWebhook(waMessagesBody(waMessage('text', fields)))).toMatchObject({
      messages: [],
      skipped: 1,
    });
  });

  it('cuts long text to 4,096 characters without splitting an emoji', () => {
    const body = `${'a'.repeat(4095)}😀tail`;
    const content = onlyWaMessage(waMessage('text', { text: { body } })).content;
    expect(content).toEqual({ kind: 'text', text: 'a'.repeat(4095) });
  });

  it('removes NUL characters, which Postgres text cannot store', () => {
    const content = onlyWaMessage(waMessage('text', { text: { body: 'a\u0000b' } })).content;
    expect(content).toEqual({ kind: 'text', text: 'ab' });
  });

  it.each([
    ['a non-numeric timestamp', { timestamp: 'yesterday' }],
    ['an empty timestamp', { timestamp: '' }],
    ['an infinite timestamp', { timestamp: Infinity }],
    ['a timestamp beyond the Date range', { timestamp: '99999999999999999' }],
    ['a negative timestamp', { timestamp: '-1' }],
    ['an empty id', { id: '' }],
    ['a whitespace id', { id: '   ' }],
    ['a numeric sender', { from: 2348012345678 }],
    ['an id with a control character', { id: 'wamid.\n1' }],
    ['an oversized id', { id: 'x'.repeat(5000) }],
    ['no type', { type: undefined }],
  ])('skips a message with %s but keeps its siblings', (_label, override) => {
    const good = waMessage('text', { text: { body: 'kept' } });
    const bad = { ...waMessage('text', { text: { body: 'dropped' } }), ...override };
    const result = parseMetaWebhook(waMessagesBody(bad, good));
    expect(result.messages.map((m) => m.providerMessageId)).toEqual([good.id]);
    expect(result.skipped).toBe(1);
  });

  it('skips a change without a phone number id, since it cannot be routed', () => {
    const change = {
      field: 'messages',
      value: { messages: [waMessage('text', { text: { body: 'hi' } })] },
    };
    expect(parseMetaWebhook(waBody(waEntry(change)))).toMatchObject({ messages: [], skipped: 1 });
  });

  it('skips changes for other webhook fields', () => {
    const change = { field: 'message_template_status_update', value: { event: 'APPROVED' } };
    expect(parseMetaWebhook(waBody(waEntry(change)))).toMatchObject({
      messages: [],
      statuses: [],
      skipped: 1,
    });
  });
});

describe('parseMetaWebhook — WhatsApp statuses', () => {
  it.each(['sent', 'delivered', 'read'])('reads a %s status', (status) => {
    const raw = waStatus(status);
    const result = parseMetaWebhook(waBody(waEntry(waChange({ statuses: [raw] }))));
    expect(result).toEqual({
      object: 'whatsapp_business_account',
      messages: [],
      skipped: 0,
      statuses: [
        {
          type: 'status',
          channel: 'whatsapp',
          accountId: PHONE_NUMBER_ID,
          providerMessageId: raw.id,
          status,
          at: new Date(1732260000 * 1000),
          recipientId: WA_CUSTOMER,
        },
      ],
    });
  });

  it('reads a failed status with its error', () => {
    const raw = waStatus('failed', {
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          error_data: { details: 'Message failed to send because more than 24 hours have passed' },
        },
      ],
    });
    const [status] = parseMetaWebhook(waBody(waEntry(waChange({ statuses: [raw] })))).statuses;
    expect(status).toMatchObject({
      status: 'failed',
      error: {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        details: 'Message failed to send because more than 24 hours have passed',
      },
    });
  });

  it('keeps a failed status whose error has no usable code, without the error', () => {
    const raw = waStatus('failed', { errors: [{ title: 'mystery' }] });
    const [status] = parseMetaWebhook(waBody(waEntry(waChange({ statuses: [raw] })))).statuses;
    expect(status.status).toBe('failed');
    expect('error' in status).toBe(false);
  });

  it.each([
    ['an unknown status', waStatus('deleted')],
    ['a missing id', { ...waStatus('read'), id: undefined }],
    ['a bad timestamp', waStatus('read', { timestamp: 'NaN' })],
  ])('skips %s', (_label, raw) => {
    expect(parseMetaWebhook(waBody(waEntry(waChange({ statuses: [raw] }))))).toMatchObject({
      statuses: [],
      skipped: 1,
    });
  });
});

describe('parseMetaWebhook — WhatsApp batches', () => {
  it('reads every message and status across entries and changes', () => {
    const otherNumber = '106540352242999';
    const body = waBody(
      waEntry(
        waChange({
          messages: [waMessage('text', { text: { body: '1' } }), waMessage('text', { text: { body: '2' } })],
        }),
        waChange({ statuses: [waStatus('sent'), waStatus('delivered')] }, otherNumber),
      ),
      waEntry(
        waChange({ messages: [waMessage('text', { text: { body: '3' } })], statuses: [waStatus('read')] }, otherNumber),
      ),
    );
    const result = parseMetaWebhook(body);
    expect(result.skipped).toBe(0);
    expect(result.messages.map((m) => [m.accountId, m.content])).toEqual([
      [PHONE_NUMBER_ID, { kind: 'text', text: '1' }],
      [PHONE_NUMBER_ID, { kind: 'text', text: '2' }],
      [otherNumber, { kind: 'text', text: '3' }],
    ]);
    expect(result.statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it('counts each malformed item once and keeps the rest', () => {
    const body = waBody(
      null,
      waEntry('not a change', waChange({ messages: [null, 7, waMessage('text', { text: { body: 'ok' } })] })),
      { id: 'waba', changes: 'nope' },
    );
    const result = parseMetaWebhook(body);
    expect(result.messages).toHaveLength(1);
    // null entry, string change, null message, numeric message, non-array changes.
    expect(result.skipped).toBe(5);
  });
});

// ------------------------------------------------------------ Instagram

describe('parseMetaWebhook — Instagram', () => {
  it('normalizes a text message, routed by the recipient account', () => {
    const event = igMessage({ text: 'hi' });
    expect(parseMetaWebhook(igBody(igEntry(event)))).toEqual({
      object: 'instagram',
      skipped: 0,
      statuses: [],
      messages: [
        {
          type: 'message',
          channel: 'instagram',
          accountId: IG_ACCOUNT,
          customerId: IG_CUSTOMER,
          providerMessageId: event.message.mid,
          sentAt: new Date(IG_MILLIS),
          content: { kind: 'text', text: 'hi' },
        },
      ],
    });
  });

  it('reads a tapped quick reply as a button whose title is the text', () => {
    const message = onlyIgMessage(igMessage({ text: 'Menu', quick_reply: { payload: 'MENU' } }));
    expect(message.content).toEqual({ kind: 'button', id: 'MENU', title: 'Menu' });
  });

  it.each(['image', 'video', 'audio', 'file', 'share', 'story_mention'])('reads a %s attachment', (type) => {
    const url = `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${type}`;
    const message = onlyIgMessage(igMessage({ attachments: [{ type, payload: { url } }] }));
    expect(message.content).toEqual({ kind: 'media', mediaType: type, url });
  });

  it('passes on only https media URLs, since our servers fetch them', () => {
    const message = onlyIgMessage(
      igMessage({ attachments: [{ type: 'image', payload: { url: 'http://10.0.0.1/x' } }] }),
    );
    expect(message.content).toEqual({ kind: 'media', mediaType: 'image' });
  });

  it('marks an unknown attachment type as unsupported', () => {
    const message = onlyIgMessage(igMessage({ attachments: [{ type: 'ig_reel', payload: {} }] }));
    expect(message.content).toEqual({ kind: 'unsupported', type: 'attachment.ig_reel' });
  });

  it('marks an unsent message and an unsupported one as unsupported', () => {
    expect(onlyIgMessage(igMessage({ is_deleted: true })).content).toEqual({
      kind: 'unsupported',
      type: 'deleted',
    });
    expect(onlyIgMessage(igMessage({ is_unsupported: true })).content).toEqual({
      kind: 'unsupported',
      type: 'unsupported',
    });
  });

  it('links a reply to the message it quotes, but not to a story', () => {
    expect(onlyIgMessage(igMessage({ text: 'yes', reply_to: { mid: 'mid.quoted' } })).replyToProviderMessageId).toBe(
      'mid.quoted',
    );
    const storyReply = onlyIgMessage(igMessage({ text: 'wow', reply_to: { story: { url: 'https://x', id: '1' } } }));
    expect('replyToProviderMessageId' in storyReply).toBe(false);
  });

  it('reads a postback as a button', () => {
    const message = onlyIgMessage(igEvent({ postback: { mid: 'mid.pb', title: 'Get started', payload: 'START' } }));
    expect(message).toMatchObject({
      providerMessageId: 'mid.pb',
      content: { kind: 'button', id: 'START', title: 'Get started' },
    });
  });

  it('reads a reaction and its removal with stable ids of their own', () => {
    const react = igEvent({
      reaction: { mid: 'mid.ours', action: 'react', reaction: 'love', emoji: '❤️' },
    });
    const unreact = {
      ...igEvent({ reaction: { mid: 'mid.ours', action: 'unreact' } }),
      timestamp: IG_MILLIS + 5,
    };
    const first = onlyIgMessage(react);
    const second = onlyIgMessage(unreact);
    expect(first.content).toEqual({ kind: 'reaction', messageId: 'mid.ours', emoji: '❤️' });
    expect(second.content).toEqual({ kind: 'reaction', messageId: 'mid.ours' });
    expect(onlyIgMessage(react).providerMessageId).toBe(first.providerMessageId);
    expect(second.providerMessageId).not.toBe(first.providerMessageId);
  });

  it('reads a read receipt naming a mid as a read status', () => {
    const result = parseMetaWebhook(igBody(igEntry(igEvent({ read: { mid: 'mid.ours' } }))));
    expect(result.statuses).toEqual([
      {
        type: 'status',
        channel: 'instagram',
        accountId: IG_ACCOUNT,
        providerMessageId: 'mid.ours',
        status: 'read',
        at: new Date(IG_MILLIS),
        recipientId: IG_CUSTOMER,
      },
    ]);
  });

  it('drops a read receipt without a mid, without counting it', () => {
    const result = parseMetaWebhook(igBody(igEntry(igEvent({ read: { watermark: IG_MILLIS } }))));
    expect(result).toMatchObject({ messages: [], statuses: [], skipped: 0 });
  });

  it('drops echoes of our own messages, without counting them', () => {
    const echo = {
      sender: { id: IG_ACCOUNT },
      recipient: { id: IG_CUSTOMER },
      timestamp: IG_MILLIS,
      message: { mid: 'mid.echo', text: 'Hello!', is_echo: true },
    };
    const partialEcho = { message: { is_echo: true } };
    const result = parseMetaWebhook(igBody(igEntry(echo, partialEcho, igMessage({ text: 'hi' }))));
    expect(result.messages.map((m) => m.content)).toEqual([{ kind: 'text', text: 'hi' }]);
    expect(result.skipped).toBe(0);
  });

  it('reads every event across entries', () => {
    const body = igBody(
      igEntry(igMessage({ text: 'a' }), igMessage({ text: 'b' }), igEvent({ read: { mid: 'mid.1' } })),
      igEntry(igEvent({ message: { mid: 'mid.c', text: 'c' } }, '998877'), igMessage({ text: 'd' })),
    );
    const result = parseMetaWebhook(body);
    expect(result.skipped).toBe(0);
    expect(result.messages.map((m) => [m.customerId, m.content])).toEqual([
      [IG_CUSTOMER, { kind: 'text', text: 'a' }],
      [IG_CUSTOMER, { kind: 'text', text: 'b' }],
      ['998877', { kind: 'text', text: 'c' }],
      [IG_CUSTOMER, { kind: 'text', text: 'd' }],
    ]);
    expect(result.statuses).toHaveLength(1);
  });

  it.each([
    ['no sender', { ...igMessage({ text: 'x' }), sender: undefined }],
    ['a seconds-as-string that is not numeric', { ...igMessage({ text: 'x' }), timestamp: 'soon' }],
    ['a NaN timestamp', { ...igMessage({ text: 'x' }), timestamp: NaN }],
    ['no mid', igEvent({ message: { text: 'x' } })],
    ['neither text nor attachment', igMessage({})],
    ['a quick reply without payload', igMessage({ text: 'Menu', quick_reply: {} })],
    ['a postback without mid', igEvent({ postback: { payload: 'START' } })],
    ['an unknown event kind', igEvent({ referral: { ref: 'ad' } })],
    ['a read that is not an object', igEvent({ read: 'yes' })],
  ])('skips an event with %s but keeps its siblings', (_label, bad) => {
    const result = parseMetaWebhook(igBody(igEntry(bad, igMessage({ text: 'kept' }))));
    expect(result.messages.map((m) => m.content)).toEqual([{ kind: 'text', text: 'kept' }]);
    expect(result.skipped).toBe(1);
  });
});

// ------------------------------------------------------------ hostile input

// Meta's own keys and values make the junk reach deep branches instead of failing at the top.
const JUNK_KEYS = [
  'object entry changes field value metadata phone_number_id contacts wa_id profile name ',
  'messages statuses errors code error_data details from id timestamp type text body ',
  'interactive button_reply list_reply title button payload order product_items ',
  'product_retailer_id quantity item_price currency image location latitude longitude ',
  'reaction message_id emoji context status messaging sender recipient message mid is_echo ',
  'is_deleted quick_reply attachments url reply_to postback read action __proto__ ',
  'constructor toString length',
]
  .join('')
  .split(' ');
const JUNK_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud83d',
  'whatsapp_business_account',
  'instagram',
  'messages',
  'text',
  'interactive',
  'button_reply',
  'list_reply',
  'order',
  'image',
  'location',
  'reaction',
  'failed',
  'read',
  'unreact',
  '1732260000',
  '-1',
  '1e999',
  'NaN',
  'https://x',
  'x'.repeat(5000),
];
const JUNK_NUMBERS = [0, -0, 1, -1, 0.5, 1e308, -1e308, NaN, Infinity, -Infinity, 2 ** 53, 1732260000];

function junkValue(random: () => number, depth: number): unknown {
  const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)];
  const roll = random();
  if (depth <= 0 || roll < 0.35) {
    return pick<unknown>([null, undefined, true, false, pick(JUNK_NUMBERS), pick(JUNK_STRINGS)]);
  }
  const size = Math.floor(random() * 5);
  if (roll < 0.6) return Array.from({ length: size }, () => junkValue(random, depth - 1));
  const object: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) object[pick(JUNK_KEYS)] = junkValue(random, depth - 1);
  if (random() < 0.5) object.object = pick(['whatsapp_business_account', 'instagram']);
  return object;
}

/** Replaces one randomly chosen node of a valid body with junk. */
function corrupt(body: unknown, random: () => number): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let node: unknown = copy;
  for (let depth = 0; depth < 12; depth++) {
    const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
    if (keys.length === 0) break;
    const key = keys[Math.floor(random() * keys.length)];
    const parent = node as Record<string, unknown>;
    if (random() < 0.25) {
      parent[key] = junkValue(random, 3);
      return copy;
    }
    node = parent[key];
  }
  return copy;
}

function validBodies(): unknown[] {
  return [
    waBody(
      waEntry(
        waChange({
          contacts: [{ profile: { name: 'Ada' }, wa_id: WA_CUSTOMER }],
          messages: [
            waMessage('text', { text: { body: 'hi' }, context: { id: 'wamid.q' } }),
            waMessage('interactive', {
              interactive: { type: 'list_reply', list_reply: { id: 'a', title: 'A' } },
            }),
            waMessage('order', {
              order: {
                product_items: [{ product_retailer_id: 's', quantity: 1, item_price: 2.5, currency: 'NGN' }],
              },
            }),
            waMessage('location', { location: { latitude: 1, longitude: 2 } }),
            waMessage('image', { image: { id: 'm', mime_type: 'image/jpeg' } }),
          ],
          statuses: [waStatus('failed', { errors: [{ code: 131047, error_data: { details: 'd' } }] })],
        }),
      ),
    ),
    igBody(
      igEntry(
        igMessage({ text: 'Menu', quick_reply: { payload: 'MENU' } }),
        igMessage({ attachments: [{ type: 'image', payload: { url: 'https://x' } }] }),
        igEvent({ postback: { mid: 'p', title: 'T', payload: 'P' } }),
        igEvent({ reaction: { mid: 'r', action: 'react', emoji: 'x' } }),
        igEvent({ read: { mid: 'm' } }),
      ),
    ),
  ];
}

/** Whatever came in, what comes out must honour the types' promises. */
function expectWellFormed(result: MetaWebhookEvents): void {
  expect(['whatsapp_business_account', 'instagram', 'unknown']).toContain(result.object);
  expect(Number.isSafeInteger(result.skipped) && result.skipped >= 0).toBe(true);
  for (const event of [...result.messages, ...result.statuses]) {
    const ids = [event.accountId, event.providerMessageId, event.type === 'message' ? event.customerId : 'x'];
    for (const id of ids) expect(typeof id === 'string' && id.trim().length > 0).toBe(true);
    const at = event.type === 'message' ? event.sentAt : event.at;
    expect(Number.isFinite(at.getTime())).toBe(true);
  }
  for (const message of result.messages) {
    if (message.content.kind === 'text') expect(message.content.text.length).toBeLessThanOrEqual(4096);
  }
}

describe('parseMetaWebhook — hostile input', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', '{"object":"instagram"}'],
    ['an array', [{ object: 'instagram', entry: [] }]],
    ['an unknown object kind', { object: 'page', entry: [] }],
  ])('returns an empty unknown result for %s', (_label, body) => {
    expect(parseMetaWebhook(body)).toEqual({
      object: 'unknown',
      messages: [],
      statuses: [],
      skipped: 1,
    });
  });

  it('never throws on hundreds of generated junk values', () => {
    const random = seededRandom(20241122);
    for (let i = 0; i < 400; i++) {
      const body = junkValue(random, 6);
      expect(() => expectWellFormed(parseMetaWebhook(body))).not.toThrow();
    }
  });

  it('never throws on hundreds of valid bodies with one node replaced by junk', () => {
    const random = seededRandom(7);
    const bodies = validBodies();
    for (let i = 0; i < 600; i++) {
      const body = corrupt(bodies[i % bodies.length], random);
      expect(() => expectWellFormed(parseMetaWebhook(body))).not.toThrow();
    }
  });

  it('parses the uncorrupted fixtures of the fuzz test completely', () => {
    const [wa, ig] = validBodies().map(parseMetaWebhook);
    expect([wa.messages.length, wa.statuses.length, wa.skipped]).toEqual([5, 1, 0]);
    expect([ig.messages.length, ig.statuses.length, ig.skipped]).toEqual([4, 1, 0]);
  });

  it('survives objects whose properties throw when read', () => {
    const explode = (): never => {
      throw new Error('hostile getter');
    };
    const trap = new Proxy({}, { get: explode });
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwingMessage = Object.defineProperty({}, 'id', { enumerable: true, get: explode });
    const bodies = [trap, revoked, waMessagesBody(throwingMessage), igBody(trap)];
    for (const body of bodies) {
      expect(() => expectWellFormed(parseMetaWebhook(body))).not.toThrow();
    }
    const partial = parseMetaWebhook(igBody(trap, igEntry(igMessage({ text: 'ok' }))));
    expect(partial).toMatchObject({ skipped: 1, messages: [{ content: { text: 'ok' } }] });
  });

  it('bounds its work on huge arrays and counts what it did not read', () => {
    const started = Date.now();
    const sparse = parseMetaWebhook(waBody(waEntry(waChange({ messages: new Array(2 ** 32 - 1) }))));
    expect(sparse.skipped).toBe(2 ** 32 - 1);
    const dense = parseMetaWebhook(igBody(igEntry(...Array.from({ length: 50_000 }, () => igMessage({ text: 'x' })))));
    expect(dense.messages).toHaveLength(10_000);
    expect(dense.skipped).toBe(40_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('survives deeply nested input', () => {
    let deep: unknown = { body: 'x' };
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const body = waMessagesBody(waMessage('text', { text: deep, context: deep }));
    expect(parseMetaWebhook(body)).toMatchObject({ messages: [], skipped: 1 });
  });
});
