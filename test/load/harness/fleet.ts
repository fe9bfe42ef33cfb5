import { randomUUID } from 'node:crypto';
import type { FakeGraphApi } from '../../fakes/fake-graph-api.js';

/** One business under load: its owner's token and the WhatsApp number customers write to. */
export interface Business {
  tenantId: string;
  auth: { authorization: string };
  phoneNumberId: string;
  accessToken: string;
}

export const BENCH_MENU = [
  { name: 'Jollof Rice', priceMinor: 250_000 },
  { name: 'Fried Plantain', priceMinor: 80_000 },
  { name: 'Chapman', priceMinor: 120_000 },
];

export const BANK_TRANSFER_INSTRUCTIONS = 'Pay to GTBank 0123456789, Hawker Bench Ltd';

/**
 * Opens `count` businesses through the public API, as their owners would: sign up, load the
 * menu, accept bank transfers, connect a WhatsApp number (registered on the fake Graph API).
 */
export async function openBusinesses(apiUrl: string, graph: FakeGraphApi, count: number): Promise<Business[]> {
  const businesses: Business[] = [];
  // A few at a time: sign-up hashes a password with argon2, which is meant to be slow.
  for (let start = 0; start < count; start += 5) {
    const batch = Array.from({ length: Math.min(5, count - start) }, (_, i) => openBusiness(apiUrl, graph, start + i));
    businesses.push(...(await Promise.all(batch)));
  }
  return businesses;
}

async function openBusiness(apiUrl: string, graph: FakeGraphApi, index: number): Promise<Business> {
  const email = `bench-${index}-${randomUUID().slice(0, 8)}@example.com`;
  const signup = await call<{ tenant: { id: string }; accessToken: string }>(apiUrl, 'POST', '/v1/auth/signup', {
    email,
    password: 'correct horse battery staple',
    name: `Owner ${index}`,
    businessName: `Bench Shop ${index}`,
  });
  const tenantId = signup.tenant.id;
  const auth = { authorization: `Bearer ${signup.accessToken}` };
  const tenant = (path: string) => `/v1/tenants/${tenantId}${path}`;
  for (const [i, item] of BENCH_MENU.entries())
    await call(apiUrl, 'POST', tenant('/products'), { ...item, sku: `SKU-${i + 1}` }, auth);
  await call(
    apiUrl,
    'PUT',
    tenant('/payment-settings'),
    { methods: ['bank_transfer'], bankTransferInstructions: BANK_TRANSFER_INSTRUCTIONS },
    auth,
  );
  const phoneNumberId = String(100_000_000_000 + index);
  const accessToken = `EAAG-${randomUUID()}`;
  graph.registerAccount(phoneNumberId, accessToken);
  await call(
    apiUrl,
    'POST',
    tenant('/channels'),
    { type: 'whatsapp', phoneNumberId, businessAccountId: '102290129340398', accessToken },
    auth,
  );
  return { tenantId, auth, phoneNumberId, accessToken };
}

/** A JSON call to Hawker's API that must succeed: set-up failing is a broken run, not a figure. */
export async function call<T = unknown>(
  apiUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
