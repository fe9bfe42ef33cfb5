import { isDeepStrictEqual } from 'node:util';
import { TenantDb } from '../../src/database/tenant-db.js';
import { startFakeGraphApi, type FakeGraphApi, type RecordedMessage } from '../fakes/fake-graph-api.js';
import { postWebhook, whatsappDelivery } from '../support/meta-webhooks.js';
import { seededRandom } from '../support/seeded-random.js';
import { mapConcurrently, openFleet, type FleetProduct, type FleetShop } from '../support/tenant-fleet.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 7, item 5: 1,000 customers of 50 businesses chat at the same time, and every reply
 * reaches the right customer, from the right business, with that customer's own figures.
 * Every shop sells look-alike dishes whose names and prices carry the shop's number, and
 * every customer builds a cart no other customer of the shop has, so a reply routed to the
 * wrong tenant, conversation or cart cannot pass for a right one.
 */

const TENANTS = 50;
const CUSTOMERS_PER_TENANT = 20;
/** The same person writes to every shop: one WhatsApp number, fifty separate carts. */
const EVERY_SHOP_CUSTOMER = '2348000000001';
/** Meta batches messages; ours hold 1 to this many, of one shop or of several. */
const MAX_MESSAGES_PER_DELIVERY = 40;
const DELIVERIES_IN_FLIGHT = 8;
const RANDOM_SEED = 20_251_107;

interface CartItem {
  product: FleetProduct;
  quantity: number;
}

interface Customer {
  shop: FleetShop;
  number: string;
  name: string;
  /** What the customer writes, one message per round. */
  messages: string[];
  first: CartItem;
  second: CartItem;
}

interface Delivery {
  customer: Customer;
  text: string;
}

interface WhatsAppList {
  type: 'list';
  header?: { text: string };
  action: { sections: { rows: { title: string; description?: string }[] }[] };
}

let t: TestApp;
let graph: FakeGraphApi;
let fleet: FleetShop[];
let customers: Customer[];

beforeAll(async () => {
  graph = await startFakeGraphApi();
  t = await startTestApp({ META_GRAPH_BASE_URL: graph.url });
  fleet = await openFleet(t, graph, TENANTS);
  customers = fleet.flatMap(customersOf);
  expect(fleet.filter((shop) => !cartTotalsDifferIn(shop))).toEqual([]);
}, 300_000);
afterAll(async () => {
  await t?.close();
  await graph?.close();
});

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Naira as the shop shows them to a customer: ₦12,500.34. */
function naira(minor: number): string {
  return `₦${Math.floor(minor / 100).toLocaleString('en-US')}.${pad(minor % 100, 2)}`;
}

/**
 * Customer j of a shop takes j + 1 of one dish, by its menu number, and a few of the next,
 * by the one word every shop's menu has for it ("add stew 2"), which must resolve in the
 * customer's own shop. The first quantity alone tells a shop's customers apart; their
 * totals differ too (checked before the chat starts).
 */
function customersOf(shop: FleetShop): Customer[] {
  return Array.from({ length: CUSTOMERS_PER_TENANT }, (_, j) => {
    const first = { product: shop.products[j % 3], quantity: j + 1 };
    const second = { product: shop.products[(j + 1) % 3], quantity: 1 + (j % 4) };
    return {
      shop,
      number: j === 0 ? EVERY_SHOP_CUSTOMER : `2348${pad(shop.index, 2)}${pad(j, 2)}12345`,
      name: `Buyer ${shop.index}.${j}`,
      messages: [
        'menu',
        `add ${(j % 3) + 1} ${first.quantity}`,
        `add ${second.product.word.toLowerCase()} ${second.quantity}`,
        'cart',
      ],
      first,
      second,
    };
  });
}

const lineTotal = (item: CartItem) => item.quantity * item.product.priceMinor;
const cartLine = (item: CartItem) => `${item.quantity} × ${item.product.name} — ${naira(lineTotal(item))}`;
const cartTotal = (...items: CartItem[]) => `Total: ${naira(items.reduce((sum, item) => sum + lineTotal(item), 0))}`;

function cartTotalsDifferIn(shop: FleetShop): boolean {
  const totals = customers
    .filter((customer) => customer.shop === shop)
    .map((customer) => lineTotal(customer.first) + lineTotal(customer.second));
  return new Set(totals).size === totals.length;
}

/** The replies a customer must get, in order, as `seen` reads them. */
function expectedReplies(customer: Customer): string[][] {
  const { shop, first, second } = customer;
  return [
    [`Menu of ${shop.name}`, ...shop.products.map((p, k) => `${k + 1}. ${p.name} — ${naira(p.priceMinor)}`)],
    [`Added ${first.quantity} × ${first.product.name}.`, cartLine(first), cartTotal(first)],
    [`Added ${second.quantity} × ${second.product.name}.`, cartLine(first), cartLine(second), cartTotal(first, second)],
    [cartLine(first), cartLine(second), cartTotal(first, second)],
  ];
}

/**
 * What a customer reads in a reply: a menu's header and rows, or a cart's lead, lines and
 * total. Anything else comes back whole, so a mismatch shows what was sent instead.
 */
function seen(message: RecordedMessage): string[] {
  const interactive = message.body.interactive as WhatsAppList | { type: string } | undefined;
  if (interactive?.type === 'list') {
    const list = interactive as WhatsAppList;
    const rows = list.action.sections.flatMap((section) => section.rows);
    return [`Menu of ${list.header?.text}`, ...rows.map((row) => `${row.title} — ${row.description}`)];
  }
  const lines = (message.text ?? '').split('\n');
  const start = lines.indexOf('🛒 Your cart:');
  const totalAt = lines.findIndex((line) => line.startsWith('*Total: '));
  if (start < 0 || totalAt < start) return [message.text ?? JSON.stringify(message.body)];
  return [
    ...lines.slice(0, start).filter((line) => line !== ''),
    ...lines.slice(start + 1, totalAt).filter((line) => line !== ''),
    lines[totalAt].replaceAll('*', ''),
  ];
}

const isFleetSend = (message: RecordedMessage) =>
  fleet.some((shop) => shop.whatsapp.phoneNumberId === message.accountId);
const repliesTo = (customer: Customer) =>
  graph.sent.filter(
    (m) => m.accountId === customer.shop.whatsapp.phoneNumberId && m.to.replace('+', '') === customer.number,
  );

/** Every customer's `round`-th message, shuffled, in deliveries that mix customers and shops. */
function deliveriesFor(round: number, random: () => number): ReturnType<typeof metaDelivery>[] {
  const messages = shuffle(
    customers.map((customer) => ({ customer, text: customer.messages[round] })),
    random,
  );
  const deliveries = [];
  let at = 0;
  while (at < messages.length) {
    const size = 1 + Math.floor(random() * MAX_MESSAGES_PER_DELIVERY);
    deliveries.push(metaDelivery(messages.slice(at, at + size)));
    at += size;
  }
  return deliveries;
}

/** One webhook POST: an entry per shop, each with the messages of its customers. */
function metaDelivery(messages: Delivery[]) {
  const byShop = new Map<FleetShop, Delivery[]>();
  for (const message of messages)
    byShop.set(message.customer.shop, [...(byShop.get(message.customer.shop) ?? []), message]);
  const entries = [...byShop].flatMap(
    ([shop, ofShop]) =>
      whatsappDelivery(
        shop.whatsapp.phoneNumberId,
        ofShop.map(({ customer, text }) => ({ from: customer.number, name: customer.name, text })),
      ).entry,
  );
  return { object: 'whatsapp_business_account', entry: entries };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled;
}

/** Lists what fails `check`, at most a few, so a failure names customers rather than dumping 1,000. */
function failures<T, R>(items: T[], check: (item: T) => R | undefined): R[] {
  return items
    .map(check)
    .filter((problem): problem is R => problem !== undefined)
    .slice(0, 5);
}

describe('isolation under load', () => {
  beforeAll(async () => {
    const random = seededRandom(RANDOM_SEED);
    const rounds = customers[0].messages.length;
    // A round is posted once Meta has our 200 for the one before: a customer's messages are
    // stored in the order written, while the replies to earlier rounds are still being made.
    for (let round = 0; round < rounds; round++) {
      await mapConcurrently(deliveriesFor(round, random), DELIVERIES_IN_FLIGHT, async (delivery) => {
        await postWebhook(t, delivery).expect(200);
      });
    }
    await graph.waitForCount(customers.length * rounds, isFleetSend, 400_000);
  }, 450_000);

  it('sends every reply from the customer’s own shop’s number with that shop’s token, to one of its customers', () => {
    const shopOf = new Map(fleet.map((shop) => [shop.whatsapp.phoneNumberId, shop]));
    const customersOfShop = new Map(fleet.map((shop) => [shop, new Set<string>()]));
    for (const customer of customers) customersOfShop.get(customer.shop)!.add(customer.number);
    const misrouted = failures(graph.sent, (message) => {
      const shop = shopOf.get(message.accountId);
      const ok =
        shop !== undefined &&
        message.accessToken === shop.whatsapp.accessToken &&
        customersOfShop.get(shop)!.has(message.to.replace('+', ''));
      return ok ? undefined : { from: message.accountId, to: message.to, text: message.text };
    });
    expect(misrouted).toEqual([]);
  });

  it('shows each customer their own shop’s menu, then their own cart with their own figures, in order', () => {
    const wrong = failures(customers, (customer) => {
      const replies = repliesTo(customer).map(seen);
      const expected = expectedReplies(customer);
      return isDeepStrictEqual(replies, expected) ? undefined : { customer: customer.name, replies, expected };
    });
    expect(wrong).toEqual([]);
  });

  it('keeps a separate cart at each of the 50 shops for the one number that writes to all of them', () => {
    const lastReplyFrom = new Map(graph.sentTo(EVERY_SHOP_CUSTOMER).map((message) => [message.accountId, message]));
    const carts = fleet.map((shop) => seen(lastReplyFrom.get(shop.whatsapp.phoneNumberId)!));
    const expected = customers
      .filter((customer) => customer.number === EVERY_SHOP_CUSTOMER)
      .map((customer) => expectedReplies(customer).at(-1));
    expect(lastReplyFrom.size).toBe(TENANTS);
    expect(carts).toEqual(expected);
  });

  it('mentions no other shop in any reply', () => {
    const shopOf = new Map(fleet.map((shop) => [shop.whatsapp.phoneNumberId, shop.index]));
    const leaks = failures(graph.sent, (message) => {
      const mentioned = [...JSON.stringify(message.body).matchAll(/Kitchen[- ](\d+)/g)].map((match) =>
        Number(match[1]),
      );
      const foreign = mentioned.filter((index) => index !== shopOf.get(message.accountId));
      return foreign.length ? { from: message.accountId, to: message.to, foreign } : undefined;
    });
    expect(leaks).toEqual([]);
  });

  it('records each shop’s 20 contacts on its own channel, and no one else', async () => {
    const wrong = await mapConcurrently(fleet, 8, async (shop) => {
      const res = await t
        .http()
        .get(`/v1/tenants/${shop.owner.tenantId}/contacts`)
        .query({ limit: 100 })
        .set(shop.owner.auth)
        .expect(200);
      const contacts = (res.body.items as { externalRef: string; displayName: string; channelId: string }[])
        .map(({ externalRef, displayName, channelId }) => ({ externalRef, displayName, channelId }))
        .sort((a, b) => a.externalRef.localeCompare(b.externalRef));
      const expected = customers
        .filter((customer) => customer.shop === shop)
        .map((customer) => ({
          externalRef: customer.number,
          displayName: customer.name,
          channelId: shop.whatsapp.channelId,
        }))
        .sort((a, b) => a.externalRef.localeCompare(b.externalRef));
      return isDeepStrictEqual(contacts, expected) ? undefined : { shop: shop.name, contacts, expected };
    });
    expect(wrong.filter(Boolean).slice(0, 3)).toEqual([]);
  });

  it('keeps each shop’s outbox to its own replies, every one of them sent', async () => {
    const repliesPerShop = customers[0].messages.length * CUSTOMERS_PER_TENANT;
    const wrong = await mapConcurrently(fleet, 8, async (shop) => {
      // No WHERE on tenant_id: row-level security alone must narrow the table to this shop.
      const outbox = await t.app
        .get(TenantDb)
        .run({ tenantId: shop.owner.tenantId }, (tx) =>
          tx.query<{ status: string; count: number }[]>(
            `SELECT status, count(*)::int AS count FROM outbox_messages GROUP BY status`,
          ),
        );
      return isDeepStrictEqual(outbox, [{ status: 'sent', count: repliesPerShop }])
        ? undefined
        : { shop: shop.name, outbox };
    });
    expect(wrong.filter(Boolean).slice(0, 3)).toEqual([]);
    // Nothing is left to send, so a reply sent twice would show here.
    expect(graph.sent).toHaveLength(customers.length * customers[0].messages.length);
  });
});
