import { generate } from 'otplib';
import { signUp } from '../support/fixtures.js';
import { startTestApp, TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('accounts', () => {
  it('signs up an owner with a business, then logs in, refreshes and logs out', async () => {
    const owner = await signUp(t, { businessName: "Ada's Kitchen" });
    const me = await t.http().get('/v1/me').set(owner.auth).expect(200);
    expect(me.body.user.email).toBe(owner.email);
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ tenantId: owner.tenantId, tenantName: "Ada's Kitchen", role: 'owner' }),
    ]);

    const login = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: owner.email, password: owner.password })
      .expect(200);
    expect(login.body.user.id).toBe(owner.userId);

    const refreshed = await t
      .http()
      .post('/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    await t
      .http()
      .get('/v1/me')
      .set({ Authorization: `Bearer ${refreshed.body.accessToken}` })
      .expect(200);

    await t.http().post('/v1/auth/logout').send({ refreshToken: refreshed.body.refreshToken }).expect(204);
    const afterLogout = await t
      .http()
      .post('/v1/auth/refresh')
      .send({ refreshToken: refreshed.body.refreshToken })
      .expect(401);
    expect(afterLogout.body.error.code).toBe('invalid_refresh_token');
  });

  it('revokes the whole session family when a used refresh token comes back', async () => {
    const owner = await signUp(t);
    const first = await t.http().post('/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(200);
    const replay = await t.http().post('/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(401);
    expect(replay.body.error.code).toBe('invalid_refresh_token');
    // The successor issued before the replay is dead too.
    await t.http().post('/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);

    const audit = await t
      .http()
      .get(`/v1/tenants/${owner.tenantId}/audit-log?action=auth.refresh_token_reused`)
      .set(owner.auth)
      .expect(200);
    expect(audit.body.items).toHaveLength(1);
  });

  it('refuses a duplicate e-mail, a short password and unknown fields', async () => {
    const owner = await signUp(t);
    const dup = await t
      .http()
      .post('/v1/auth/signup')
      .send({ email: owner.email.toUpperCase(), password: 'another password', name: 'X', businessName: 'Y' })
      .expect(409);
    expect(dup.body.error.code).toBe('email_taken');
    const short = await t
      .http()
      .post('/v1/auth/signup')
      .send({ email: 'short@example.com', password: 'short', name: 'X', businessName: 'Y' })
      .expect(400);
    expect(short.body.error.details.fields).toHaveProperty('password');
    const unknown = await t
      .http()
      .post('/v1/auth/signup')
      .send({ email: 'u@example.com', password: 'long enough password', name: 'X', businessName: 'Y', isAdmin: true })
      .expect(400);
    expect(unknown.body.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: { isAdmin: expect.any(Array) } },
    });
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM users WHERE email IN ('short@example.com', 'u@example.com')`,
    );
    expect(count).toBe(0);
  });

  it('locks an account after 10 wrong passwords, refusing even the right one until the lock ends', async () => {
    const owner = await signUp(t);
    for (let i = 0; i < 10; i++) {
      const res = await t
        .http()
        .post('/v1/auth/login')
        .send({ email: owner.email, password: `wrong password ${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: owner.email, password: owner.password })
      .expect(429);
    expect(locked.body.error.code).toBe('account_locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);

    const audit = await t
      .http()
      .get(`/v1/tenants/${owner.tenantId}/audit-log?action=auth.account_locked`)
      .set(owner.auth)
      .expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].ip).toBe('127.0.0.1');

    // When the lock has passed, the right password works again.
    await t.dataSource.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [
      owner.userId,
    ]);
    await t.http().post('/v1/auth/login').send({ email: owner.email, password: owner.password }).expect(200);
  });

  it('requires a fresh TOTP code once two-factor is on, accepting each code once', async () => {
    const owner = await signUp(t);
    const setup = await t.http().post('/v1/auth/totp/setup').set(owner.auth).expect(200);
    const secret: string = setup.body.secret;
    expect(setup.body.otpauthUrl).toContain('otpauth://totp/');
    await t.http().post('/v1/auth/totp/enable').set(owner.auth).send({ code: '000000' }).expect(400);
    const code = await generate({ secret });
    await t.http().post('/v1/auth/totp/enable').set(owner.auth).send({ code }).expect(200);

    const missing = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: owner.email, password: owner.password })
      .expect(401);
    expect(missing.body.error.code).toBe('totp_required');
    // The code that enabled two-factor has been used: it cannot sign in.
    const reused = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: owner.email, password: owner.password, totpCode: code })
      .expect(401);
    expect(reused.body.error.code).toBe('totp_required');

    const nextStep = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    await t
      .http()
      .post('/v1/auth/login')
      .send({ email: owner.email, password: owner.password, totpCode: nextStep })
      .expect(200);
  });
});
