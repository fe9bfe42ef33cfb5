import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TenantContext } from '../common/auth/roles.js';
import { UsersService } from '../modules/auth/users.service.js';
import { ChannelConnectionsService } from '../modules/channels/connections/channel-connections.service.js';
import { ProductsService } from '../modules/commerce/products.service.js';
import { PaymentSettingsService } from '../modules/payments/settings/payment-settings.service.js';
import { MembershipsService } from '../modules/tenants/memberships.service.js';
import { TenantsService } from '../modules/tenants/tenants.service.js';

export const DEMO_EMAIL = 'demo@hawker.local';
// A development convenience only: seeding is off by default in production.
export const DEMO_PASSWORD = 'hawker-demo-2026';
export const DEMO_BUSINESS = "Mama Put's Kitchen";
/** Where `npm run chat` and a local web chat widget talk to the demo business from. */
export const DEMO_WEBCHAT_ORIGINS = ['http://localhost:3000'];

/** How the demo business is paid: no card payments without a real Paystack key. */
export const DEMO_BANK_TRANSFER = 'Transfer to GTBank 0123456789 (Mama Put Kitchen Ltd) and send us the receipt here.';

/** Prices in kobo (NGN minor units): ₦2,500 is 250000. */
export const DEMO_MENU = [
  { name: 'Jollof Rice', description: 'Smoky party jollof with fried plantain', priceMinor: 250_000 },
  { name: 'Pounded Yam & Egusi', description: 'With assorted meat', priceMinor: 350_000 },
  { name: 'Suya', description: 'Spicy beef skewers, per portion', priceMinor: 150_000 },
  { name: 'Moi Moi', description: 'Steamed bean pudding with egg', priceMinor: 80_000 },
  { name: 'Chapman', description: 'Chilled fruity cocktail, non-alcoholic', priceMinor: 120_000 },
];

export interface DemoSeedResult {
  created: boolean;
  email: string;
  password: string;
  tenantId?: string;
}

/**
 * On an empty database, creates a demo business and its owner so a new user can sign in at
 * once, with a small menu, bank-transfer payment and a web chat channel to talk to it
 * (`npm run chat`).
 */
export async function seedDemo(app: INestApplicationContext): Promise<DemoSeedResult> {
  const dataSource = app.get(DataSource);
  const users = app.get(UsersService);
  const [{ count }] = await dataSource.query<[{ count: number }]>('SELECT count(*)::int AS count FROM users');
  if (count > 0) {
    const demo = await users.findByEmail(DEMO_EMAIL);
    return { created: false, email: demo ? DEMO_EMAIL : '', password: demo ? DEMO_PASSWORD : '' };
  }
  const ctx = await dataSource.transaction(async (tx): Promise<TenantContext> => {
    const user = await users.create(tx, { email: DEMO_EMAIL, name: 'Demo Owner', password: DEMO_PASSWORD });
    const tenant = await app.get(TenantsService).create(tx, { name: DEMO_BUSINESS });
    await app.get(MembershipsService).add(tx, tenant.id, user.id, 'owner');
    return { tenantId: tenant.id, userId: user.id, role: 'owner' };
  });
  // Through the services the API uses, as the owner: the same rules, and the audit log says who.
  const origin = { ip: '127.0.0.1', userAgent: 'hawker seed-demo' };
  const products = app.get(ProductsService);
  for (const item of DEMO_MENU) await products.create(ctx, item, origin);
  await app
    .get(PaymentSettingsService)
    .put(ctx, { methods: ['bank_transfer'], bankTransferInstructions: DEMO_BANK_TRANSFER }, origin);
  await app
    .get(ChannelConnectionsService)
    .connect(ctx, { type: 'webchat', name: 'Website chat', allowedOrigins: DEMO_WEBCHAT_ORIGINS }, origin);
  return { created: true, email: DEMO_EMAIL, password: DEMO_PASSWORD, tenantId: ctx.tenantId };
}
