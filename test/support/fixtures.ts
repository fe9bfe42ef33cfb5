import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

export interface Account {
  userId: string;
  tenantId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** Signs up a new owner with a new business, through the API as a user would. */
export async function signUp(
  t: TestApp,
  overrides: Partial<{ email: string; businessName: string; password: string }> = {},
): Promise<Account> {
  const email = overrides.email ?? `owner-${randomUUID().slice(0, 8)}@example.com`;
  const password = overrides.password ?? 'correct horse battery';
  const res = await t
    .http()
    .post('/v1/auth/signup')
    .send({ email, password, name: 'Test Owner', businessName: overrides.businessName ?? `Shop ${email}` })
    .expect(201);
  return accountFrom(res.body, email, password);
}

export function accountFrom(
  body: { user: { id: string }; tenant?: { id: string }; tenantId?: string; accessToken: string; refreshToken: string },
  email: string,
  password: string,
): Account {
  return {
    userId: body.user.id,
    tenantId: body.tenant?.id ?? body.tenantId ?? '',
    email,
    password,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    auth: { Authorization: `Bearer ${body.accessToken}` },
  };
}

/** Invites a new user into `owner`'s business with `role` and returns the signed-in member. */
export async function addMember(t: TestApp, owner: Account, role: 'admin' | 'staff' | 'owner'): Promise<Account> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  const invite = await t
    .http()
    .post(`/v1/tenants/${owner.tenantId}/invitations`)
    .set(owner.auth)
    .send({ email, role })
    .expect(201);
  const password = 'member password 123';
  const accepted = await t
    .http()
    .post('/v1/invitations/accept')
    .send({ token: invite.body.token, name: 'Member', password })
    .expect(200);
  return accountFrom({ ...accepted.body, tenantId: owner.tenantId }, email, password);
}
