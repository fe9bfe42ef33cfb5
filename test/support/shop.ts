import { randomUUID } from 'node:crypto';
import type { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { signUp, type Account } from './fixtures.js';
import type { TestApp } from './test-app.js';

export interface Shop {
  owner: Account;
  products: { id: string; name: string; priceMinor: number; sku: string }[];
  whatsapp?: { channelId: string; phoneNumberId: string; accessToken: string };
  instagram?: { channelId: string; accountId: string; accessToken: string };
}

export const MENU = [
  { name: 'Jollof Rice', priceMinor: 250_000, sku: 'JOL-1' },
  { name: 'Fried Plantain', priceMinor: 80_000, sku: 'PLA-1' },
  { name: 'Chapman', priceMinor: 120_000, sku: 'CHP-1' },
];

/** A business with a menu and, as asked, WhatsApp and Instagram connected to the fake Graph API. */
export async function openShop(
  t: TestApp,
  graph: FakeGraphApi,
  connect: { whatsapp?: boolean; instagram?: boolean } = { whatsapp: true },
): Promise<Shop> {
  const owner = await signUp(t);
  const products = [];
  for (const item of MENU) {
    const sku = `${item.sku}-${randomUUID().slice(0, 6)}`;
    const res = await t
      .http()
      .post(`/v1/tenants/${owner.tenantId}/products`)
      .set(owner.auth)
      .send({ ...item, sku })
      .expect(201);
    products.push({ id: res.body.id as string, name: item.name, priceMinor: item.priceMinor, sku });
  }
  const shop: Shop = { owner, products };
  if (connect.whatsapp) {
    const phoneNumberId = String(100_000_000_000 + Math.floor(Math.random() * 1e11));
    const accessToken = `EAAG-${randomUUID()}`;
    graph.registerAccount(phoneNumberId, accessToken);
    const res = await t
      .http()
      .post(`/v1/tenants/${owner.tenantId}/channels`)
      .set(owner.auth)
      .send({ type: 'whatsapp', phoneNumberId, businessAccountId: '102290129340398', accessToken })
      .expect(201);
    shop.whatsapp = { channelId: res.body.id, phoneNumberId, accessToken };
  }
  if (connect.instagram) {
    const accountId = String(17_000_000_000_000 + Math.floor(Math.random() * 1e12));
    const accessToken = `IGAA-${randomUUID()}`;
    graph.registerAccount(accountId, accessToken);
    const res = await t
      .http()
      .post(`/v1/tenants/${owner.tenantId}/channels`)
      .set(owner.auth)
      .send({ type: 'instagram', instagramAccountId: accountId, accessToken })
      .expect(201);
    shop.instagram = { channelId: res.body.id, accountId, accessToken };
  }
  return shop;
}

export const customerNumber = () => `234${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
