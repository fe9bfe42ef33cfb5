import { randomUUID } from 'node:crypto';
import { UsersService } from '../../src/modules/auth/users.service.js';
import { addMember, signUp } from '../support/fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('business profile and team', () => {
  it('updates the business profile and records who changed what', async () => {
    const owner = await signUp(t);
    const res = await t
      .http()
      .patch(`/v1/tenants/${owner.tenantId}`)
      .set(owner.auth)
      .send({
        name: 'Jollof House',
        currency: 'GHS',
        timezone: 'Africa/Accra',
        locale: 'en-GH',
        description: 'Best jollof',
      })
      .expect(200);
    expect(res.body).toMatchObject({
      name: 'Jollof House',
      currency: 'GHS',
      timezone: 'Africa/Accra',
      locale: 'en-GH',
    });
    const bad = await t
      .http()
      .patch(`/v1/tenants/${owner.tenantId}`)
      .set(owner.auth)
      .send({ currency: 'XYZ1', timezone: 'Mars/Base' })
      .expect(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(['currency', 'timezone']);
    const audit = await t
      .http()
      .get(`/v1/tenants/${owner.tenantId}/audit-log?action=tenant.settings_changed`)
      .set(owner.auth)
      .expect(200);
    expect(audit.body.items[0]).toMatchObject({
      actorUserId: owner.userId,
      details: { fields: expect.arrayContaining(['name', 'currency']) },
    });
  });

  it('invites a new user with a single-use token, and an existing user with their own sign-in', async () => {
    const owner = await signUp(t);
    const admin = await addMember(t, owner, 'admin');
    const members = await t.http().get(`/v1/tenants/${owner.tenantId}/members`).set(admin.auth).expect(200);
    expect(members.body.map((m: { role: string }) => m.role).sort()).toEqual(['admin', 'owner']);

    const invite = await t
      .http()
      .post(`/v1/tenants/${owner.tenantId}/invitations`)
      .set(owner.auth)
      .send({ email: 'twice@example.com', role: 'staff' })
      .expect(201);
    await t
      .http()
      .post('/v1/invitations/accept')
      .send({ token: invite.body.token, name: 'Twice', password: 'a good password' })
      .expect(200);
    const again = await t
      .http()
      .post('/v1/invitations/accept')
      .send({ token: invite.body.token, name: 'Twice', password: 'a good password' })
      .expect(404);
    expect(again.body.error.code).toBe('invitation_invalid');

    const other = await signUp(t);
    const crossInvite = await t
      .http()
      .post(`/v1/tenants/${owner.tenantId}/invitations`)
      .set(owner.auth)
      .send({ email: other.email, role: 'staff' })
      .expect(201);
    const accepted = await t
      .http()
      .post('/v1/invitations/accept')
      .set(other.auth)
      .send({ token: crossInvite.body.token })
      .expect(200);
    expect(accepted.body.tenantId).toBe(owner.tenantId);
    const me = await t.http().get('/v1/me').set(other.auth).expect(200);
    expect(me.body.memberships.map((m: { tenantId: string }) => m.tenantId).sort()).toEqual(
      [owner.tenantId, other.tenantId].sort(),
    );
  });

  it('never leaves a business without an owner, and lets only owners touch owners', async () => {
    const owner = await signUp(t);
    const admin = await addMember(t, owner, 'admin');
    const demote = await t
      .http()
      .patch(`/v1/tenants/${owner.tenantId}/members/${owner.userId}`)
      .set(owner.auth)
      .send({ role: 'admin' })
      .expect(409);
    expect(demote.body.error.code).toBe('last_owner');
    await t.http().delete(`/v1/tenants/${owner.tenantId}/members/${owner.userId}`).set(owner.auth).expect(409);
    await t.http().delete(`/v1/tenants/${owner.tenantId}/members/${owner.userId}`).set(admin.auth).expect(403);
    await t
      .http()
      .patch(`/v1/tenants/${owner.tenantId}/members/${admin.userId}`)
      .set(admin.auth)
      .send({ role: 'owner' })
      .expect(403);

    await t
      .http()
      .patch(`/v1/tenants/${owner.tenantId}/members/${admin.userId}`)
      .set(owner.auth)
      .send({ role: 'owner' })
      .expect(200);
    await t
      .http()
      .patch(`/v1/tenants/${owner.tenantId}/members/${owner.userId}`)
      .set(owner.auth)
      .send({ role: 'staff' })
      .expect(200);
    const staff = await addMember(t, { ...admin, tenantId: owner.tenantId }, 'staff');
    await t.http().delete(`/v1/tenants/${owner.tenantId}/members/${staff.userId}`).set(admin.auth).expect(204);
    await t.http().get(`/v1/tenants/${owner.tenantId}`).set(staff.auth).expect(404);
    const actions = (
      await t.http().get(`/v1/tenants/${owner.tenantId}/audit-log`).set(admin.auth).expect(200)
    ).body.items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'membership.role_changed',
        'membership.removed',
        'membership.joined',
        'membership.invited',
      ]),
    );
  });
});

describe('platform admins', () => {
  it('suspends a tenant: its members get 403 tenant_suspended until it is reinstated', async () => {
    // Nobody can claim a platform admin address by signing up or through an invitation.
    const claim = await t
      .http()
      .post('/v1/auth/signup')
      .send({ email: 'ROOT@hawker.test', password: 'correct horse battery', name: 'Root', businessName: 'Mine' })
      .expect(403);
    expect(claim.body.error.code).toBe('email_reserved');
    const inviter = await signUp(t);
    const invite = await t
      .http()
      .post(`/v1/tenants/${inviter.tenantId}/invitations`)
      .set(inviter.auth)
      .send({ email: 'root@hawker.test', role: 'staff' })
      .expect(201);
    await t
      .http()
      .post('/v1/invitations/accept')
      .send({ token: invite.body.token, name: 'Root', password: 'correct horse battery' })
      .expect(403);
    // The operator creates it (npm run admin:create does exactly this).
    await t.dataSource.transaction((tx) =>
      t.app
        .get(UsersService)
        .create(
          tx,
          { email: 'root@hawker.test', name: 'Root', password: 'correct horse battery' },
          { platformAdmin: true },
        ),
    );
    const login = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'root@hawker.test', password: 'correct horse battery' })
      .expect(200);
    const root = { auth: { Authorization: `Bearer ${login.body.accessToken}` } };
    const owner = await signUp(t);
    await t.http().get('/v1/admin/tenants').set(owner.auth).expect(404);
    const list = await t.http().get('/v1/admin/tenants?limit=100').set(root.auth).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(owner.tenantId);

    await t.http().post(`/v1/admin/tenants/${owner.tenantId}/suspend`).set(root.auth).expect(200);
    const refused = await t.http().get(`/v1/tenants/${owner.tenantId}`).set(owner.auth).expect(403);
    expect(refused.body.error.code).toBe('tenant_suspended');
    await t.http().post(`/v1/admin/tenants/${owner.tenantId}/unsuspend`).set(root.auth).expect(200);
    await t.http().get(`/v1/tenants/${owner.tenantId}`).set(owner.auth).expect(200);
    await t.http().post(`/v1/admin/tenants/${randomUUID()}/suspend`).set(root.auth).expect(404);
  });

  it('reports every queue and retries failed jobs', async () => {
    const root = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'root@hawker.test', password: 'correct horse battery' })
      .expect(200);
    const auth = { Authorization: `Bearer ${root.body.accessToken}` };
    const report = await t.http().get('/v1/admin/queues').set(auth).expect(200);
    expect(report.body.map((q: { name: string }) => q.name)).toEqual([
      'inbound',
      'outbound',
      'notifications',
      'payments',
      'privacy',
      'maintenance',
    ]);
    expect(report.body[0].counts).toMatchObject({ waiting: expect.any(Number), failed: expect.any(Number) });
    const retried = await t.http().post('/v1/admin/queues/maintenance/retry-failed').set(auth).expect(200);
    expect(retried.body).toEqual({ queue: 'maintenance', retried: 0 });
    await t.http().post('/v1/admin/queues/nope/retry-failed').set(auth).expect(404);
  });
});
