import { randomUUID } from 'node:crypto';
import type { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { signUp, type Account } from './fixtures.js';
import type { TestApp } from './test-app.js';

/** A product of a fleet shop; `word` alone names it within its shop ("add stew 2"). */
export interface FleetProduct {
  name: string;
  word: string;
  priceMinor: number;
}

/**
 * One of many businesses whose catalogs look alike but differ in every detail a customer
 * sees: each product name carries the shop's number ("Kitchen-17 Stew") and each price ends
 * in it (₦2,500.17), so a reply that leaks another tenant's catalog gives itself away.
 */
export interface FleetShop {
  /** 1-based; printed in the business name, every product name and every price. */
  index: number;
  name: string;
  owner: Account;
  /** In menu order. */
  products: FleetProduct[];
  whatsapp: { channelId: string; phoneNumberId: string; accessToken: string };
}

const DISHES = [
  { word: 'Rice', naira: 1500 },
  { word: 'Stew', naira: 2500 },
  { word: 'Zobo', naira: 500 },
];

/** Up to 99 shops: the price's kobo are the shop's number. */
const MAX_FLEET_SIZE = 99;

/**
 * Opens `size` shops through the API, each with its own WhatsApp number on the fake Graph
 * API. Sign-up hashes a password with argon2, so shops are opened a few at a time rather
 * than all at once or one by one.
 */
export async function openFleet(
  t: TestApp,
  graph: FakeGraphApi,
  size: number,
  options: { concurrency?: number } = {},
): Promise<FleetShop[]> {
  if (size > MAX_FLEET_SIZE) throw new RangeError(`A fleet holds at most ${MAX_FLEET_SIZE} shops`);
  const indexes = Array.from({ length: size }, (_, i) => i + 1);
  return mapConcurrently(indexes, options.concurrency ?? 4, (index) => openFleetShop(t, graph, index));
}

async function openFleetShop(t: TestApp, graph: FakeGraphApi, index: number): Promise<FleetShop> {
  const name = `Kitchen ${index}`;
  const owner = await signUp(t, { businessName: name });
  const products: FleetProduct[] = [];
  // One at a time: the menu lists products in the order they were created.
  for (const dish of DISHES) {
    const product = { name: `Kitchen-${index} ${dish.word}`, word: dish.word, priceMinor: dish.naira * 100 + index };
    await t
      .http()
      .post(`/v1/tenants/${owner.tenantId}/products`)
      .set(owner.auth)
      .send({ name: product.name, priceMinor: product.priceMinor, sku: `K${index}-${dish.word.toUpperCase()}` })
      .expect(201);
    products.push(product);
  }
  const phoneNumberId = String(109_000_000_000 + index);
  const accessToken = `EAAG-kitchen-${index}-${randomUUID()}`;
  graph.registerAccount(phoneNumberId, accessToken);
  const channel = await t
    .http()
    .post(`/v1/tenants/${owner.tenantId}/channels`)
    .set(owner.auth)
    .send({ type: 'whatsapp', phoneNumberId, businessAccountId: '102290129340398', accessToken })
    .expect(201);
  return {
    index,
    name,
    owner,
    products,
    whatsapp: { channelId: channel.body.id as string, phoneNumberId, accessToken },
  };
}

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input's order. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>) {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await fn(items[at]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
