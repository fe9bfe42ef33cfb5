import fc from 'fast-check';
import { customerText, interactiveIdText } from './customer-texts.js';
import { hostileJson, hostileString, numericString } from './hostile-values.js';
import { nearValidField, nearValidRecord } from './property-runs.js';

/** The business accounts a delivery may name: real ones reach routing and the inbox, others do not. */
export interface MetaAccounts {
  whatsapp: readonly string[];
  instagram: readonly string[];
}

const hostile = hostileJson(['id', 'text', 'body', 'type', 'from', 'timestamp', 'mid', 'payload']);
const field = (plausible: fc.Arbitrary<unknown>) => nearValidField(plausible, hostile);
const optional = (plausible: fc.Arbitrary<unknown>) => nearValidField(plausible, hostile, { optional: true });
/** The envelope: rarely broken, so that most deliveries reach the messages inside. */
const envelope = (plausible: fc.Arbitrary<unknown>) => nearValidField(plausible, hostile, { structural: true });
/** Mostly an account that exists, so that deliveries reach routing, the inbox and the engine. */
const realOrNot = (ids: readonly string[]) =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: hostileString });
const list = (item: fc.Arbitrary<unknown>, maxLength = 3) => fc.array(item, { minLength: 1, maxLength });
const merge = ([head, tail]: [Record<string, unknown>, Record<string, unknown>]) => ({ ...head, ...tail });

/** A few customers write several times, so conversations go past their first message. */
const waCustomer = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('2348000000001', '2348000000002', '2348000000003') },
  { weight: 1, arbitrary: fc.nat().map((n) => `234${String(n).padStart(10, '0')}`) },
  { weight: 1, arbitrary: hostileString },
);
const igCustomer = fc.oneof(fc.constantFrom('17800000000000001', '17800000000000002'), fc.nat().map(String));
const messageId = fc.oneof(
  { weight: 4, arbitrary: fc.uuid().map((id) => `wamid.${id}`) },
  { weight: 1, arbitrary: hostileString },
);
/** Seconds now and then past year 9999, where a Date still exists but Postgres has no timestamp. */
const unixSeconds = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 4_102_444_800 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 9_000_000_000_000 }) },
);
const timestamp = fc.oneof(
  { weight: 4, arbitrary: unixSeconds.map(String) },
  { weight: 2, arbitrary: unixSeconds },
  { weight: 1, arbitrary: numericString },
);

const choice = (id: fc.Arbitrary<string>) => nearValidRecord({ id: field(id), title: optional(hostileString) });
const media = nearValidRecord({
  id: field(fc.nat().map(String)),
  mime_type: optional(hostileString),
  caption: optional(customerText),
});

/** One WhatsApp content type with its own object, each plausible, hostile or missing. */
const whatsappContent = fc.oneof(
  {
    weight: 6,
    arbitrary: nearValidRecord({
      type: fc.constant('text'),
      text: envelope(nearValidRecord({ body: field(customerText) })),
    }),
  },
  {
    weight: 2,
    arbitrary: nearValidRecord({
      type: fc.constant('interactive'),
      interactive: envelope(
        nearValidRecord({
          type: field(fc.constantFrom('button_reply', 'list_reply', 'nfm_reply')),
          button_reply: optional(choice(interactiveIdText)),
          list_reply: optional(choice(interactiveIdText)),
        }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: nearValidRecord({
      type: fc.constant('button'),
      button: envelope(nearValidRecord({ payload: field(interactiveIdText), text: optional(hostileString) })),
    }),
  },
  {
    weight: 1,
    arbitrary: nearValidRecord({
      type: fc.constant('order'),
      order: envelope(
        nearValidRecord({
          catalog_id: optional(fc.nat().map(String)),
          text: optional(customerText),
          product_items: field(
            list(
              nearValidRecord({
                product_retailer_id: field(fc.oneof(fc.constantFrom('JOL-1', 'PLA-1'), hostileString)),
                quantity: field(fc.oneof(fc.integer({ min: -2, max: 200 }), numericString)),
                item_price: optional(fc.oneof(fc.double(), numericString)),
                currency: optional(fc.constantFrom('NGN', 'usd', 'XXXX')),
              }),
            ),
          ),
        }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: nearValidRecord({
      type: fc.constant('location'),
      location: envelope(
        nearValidRecord({
          latitude: field(fc.oneof(fc.double({ min: -100, max: 100 }), numericString)),
          longitude: field(fc.oneof(fc.double({ min: -200, max: 200 }), numericString)),
          name: optional(hostileString),
          address: optional(hostileString),
        }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: nearValidRecord({
      type: fc.constant('reaction'),
      reaction: envelope(nearValidRecord({ message_id: field(messageId), emoji: optional(hostileString) })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('image', 'audio', 'video', 'document', 'sticker')
      .chain((type) => nearValidRecord({ type: fc.constant(type), [type]: envelope(media) })),
  },
  { weight: 1, arbitrary: nearValidRecord({ type: field(fc.constantFrom('contacts', 'unknown', 'system')) }) },
);

const whatsappMessage = fc
  .tuple(
    nearValidRecord({
      from: envelope(waCustomer),
      id: envelope(messageId),
      timestamp: envelope(timestamp),
      context: optional(nearValidRecord({ id: field(messageId) })),
    }),
    whatsappContent,
  )
  .map(merge);

const whatsappStatus = nearValidRecord({
  id: field(messageId),
  status: field(fc.constantFrom('sent', 'delivered', 'read', 'failed', 'deleted')),
  timestamp: field(timestamp),
  recipient_id: optional(waCustomer),
  errors: optional(list(nearValidRecord({ code: field(fc.integer()), title: optional(hostileString) }))),
});

function whatsappDelivery(phoneNumberIds: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const value = nearValidRecord({
    messaging_product: optional(fc.constant('whatsapp')),
    metadata: envelope(nearValidRecord({ phone_number_id: envelope(realOrNot(phoneNumberIds)) })),
    contacts: optional(
      list(
        nearValidRecord({ wa_id: field(waCustomer), profile: field(nearValidRecord({ name: field(hostileString) })) }),
      ),
    ),
    messages: envelope(list(whatsappMessage)),
    statuses: optional(list(whatsappStatus)),
  });
  const change = nearValidRecord({ field: envelope(fc.constant('messages')), value: envelope(value) });
  const entry = nearValidRecord({ id: optional(fc.nat().map(String)), changes: envelope(list(change, 2)) });
  return nearValidRecord({
    object: envelope(fc.constant('whatsapp_business_account')),
    entry: envelope(list(entry, 2)),
  });
}

const mid = fc.oneof(
  { weight: 4, arbitrary: fc.uuid().map((id) => `aWdf${id}`) },
  { weight: 1, arbitrary: hostileString },
);

/** What an Instagram message carries: text, a tapped quick reply, attachments, or a flag saying it has none. */
const instagramContent = fc.oneof(
  { weight: 5, arbitrary: nearValidRecord({ text: envelope(customerText) }) },
  {
    weight: 1,
    arbitrary: nearValidRecord({
      text: optional(hostileString),
      quick_reply: envelope(nearValidRecord({ payload: field(interactiveIdText) })),
    }),
  },
  {
    weight: 1,
    arbitrary: nearValidRecord({
      attachments: envelope(
        list(
          nearValidRecord({
            type: field(fc.constantFrom('image', 'video', 'audio', 'file', 'share', 'story_mention', 'ig_reel')),
            payload: optional(nearValidRecord({ url: field(fc.oneof(fc.webUrl(), hostileString)) })),
          }),
        ),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('is_echo', 'is_deleted', 'is_unsupported')
      .chain((flag) => nearValidRecord({ [flag]: field(fc.boolean()), text: optional(customerText) })),
  },
);

const instagramMessage = fc
  .tuple(
    nearValidRecord({ mid: envelope(mid), reply_to: optional(nearValidRecord({ mid: field(mid) })) }),
    instagramContent,
  )
  .map(merge);

/** One Instagram event kind: a message, a postback, a reaction or a read. */
const instagramEventBody = fc.oneof(
  { weight: 6, arbitrary: nearValidRecord({ message: envelope(instagramMessage) }) },
  {
    weight: 1,
    arbitrary: nearValidRecord({
      postback: envelope(
        nearValidRecord({ mid: field(mid), payload: field(interactiveIdText), title: optional(hostileString) }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: nearValidRecord({
      reaction: envelope(
        nearValidRecord({
          mid: field(mid),
          action: field(fc.constantFrom('react', 'unreact')),
          emoji: optional(hostileString),
        }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: nearValidRecord({
      read: envelope(nearValidRecord({ mid: optional(mid), watermark: optional(fc.nat()) })),
    }),
  },
);

function instagramDelivery(accountIds: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const event = fc
    .tuple(
      nearValidRecord({
        sender: envelope(nearValidRecord({ id: envelope(igCustomer) })),
        recipient: envelope(nearValidRecord({ id: envelope(realOrNot(accountIds)) })),
        timestamp: field(
          fc.oneof(
            unixSeconds.map((seconds) => seconds * 1000),
            numericString,
          ),
        ),
      }),
      instagramEventBody,
    )
    .map(merge);
  const entry = nearValidRecord({
    id: optional(fc.constantFrom(...accountIds)),
    time: optional(fc.nat()),
    messaging: envelope(list(event)),
  });
  return nearValidRecord({ object: envelope(fc.constant('instagram')), entry: envelope(list(entry, 2)) });
}

/** Deliveries in Meta's shape, every field plausible, hostile or missing; or any JSON at all. */
export function metaDelivery(accounts: MetaAccounts): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: whatsappDelivery(accounts.whatsapp) },
    { weight: 3, arbitrary: instagramDelivery(accounts.instagram) },
    { weight: 1, arbitrary: hostile },
  );
}
