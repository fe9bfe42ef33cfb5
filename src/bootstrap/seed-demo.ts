import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UsersService } from '../modules/auth/users.service.js';
import { MembershipsService } from '../modules/tenants/memberships.service.js';
import { TenantsService } from '../modules/tenants/tenants.service.js';

export const DEMO_EMAIL = 'demo@hawker.local';
// A development convenience only: seeding is off by default in production.
export const DEMO_PASSWORD = 'hawker-demo-2026';
export const DEMO_BUSINESS = "Mama Put's Kitchen";

export interface DemoSeedResult {
  created: boolean;
  email: string;
  password: string;
  tenantId?: string;
}

/** On an empty database, creates a demo business and its owner so a new user can sign in at once. */
export async function seedDemo(app: INestApplicationContext): Promise<DemoSeedResult> {
  const dataSource = app.get(DataSource);
  const users = app.get(UsersService);
  const [{ count }] = await dataSource.query<[{ count: number }]>('SELECT count(*)::int AS count FROM users');
  if (count > 0) {
    const demo = await users.findByEmail(DEMO_EMAIL);
    return { created: false, email: demo ? DEMO_EMAIL : '', password: demo ? DEMO_PASSWORD : '' };
  }
  const tenantId = await dataSource.transaction(async (tx) => {
    const user = await users.create(tx, { email: DEMO_EMAIL, name: 'Demo Owner', password: DEMO_PASSWORD });
    const tenant = await app.get(TenantsService).create(tx, { name: DEMO_BUSINESS });
    await app.get(MembershipsService).add(tx, tenant.id, user.id, 'owner');
    return tenant.id;
  });
  return { created: true, email: DEMO_EMAIL, password: DEMO_PASSWORD, tenantId };
}
