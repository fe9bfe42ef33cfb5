import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestOrigin } from '../../common/auth/route-access.js';
import { AuditEvent, AuditService } from '../audit/audit.service.js';
import { MembershipsService } from '../tenants/memberships.service.js';
import { toTenantView, TenantView } from '../tenants/tenant.views.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { AuthErrors } from './auth.errors.js';
import { LoginDto, SignupDto } from './dto/auth.dto.js';
import { LoginAttemptsService } from './login-attempts.service.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenPair, TokenService } from './token.service.js';
import { TotpService } from './totp.service.js';
import { toUserView, UserView, UsersService } from './users.service.js';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly tenants: TenantsService,
    private readonly memberships: MembershipsService,
    private readonly tokens: TokenService,
    private readonly hasher: PasswordHasher,
    private readonly attempts: LoginAttemptsService,
    private readonly totp: TotpService,
    private readonly audit: AuditService,
  ) {}

  /** A new account and its business, with the account as owner, in one transaction. */
  async signup(dto: SignupDto, origin: RequestOrigin): Promise<{ user: UserView; tenant: TenantView } & TokenPair> {
    const { user, tenant } = await this.dataSource.transaction(async (tx) => {
      const user = await this.users.create(tx, dto);
      const tenant = await this.tenants.create(tx, { name: dto.businessName });
      await this.memberships.add(tx, tenant.id, user.id, 'owner');
      return { user, tenant };
    });
    await this.audit.record(
      { tenantId: tenant.id },
      { action: 'tenant.created', actorUserId: user.id, origin, target: { type: 'tenant', id: tenant.id } },
    );
    const tokens = await this.tokens.issue(user, origin);
    return { user: toUserView(user), tenant: toTenantView(tenant), ...tokens };
  }

  async login(dto: LoginDto, origin: RequestOrigin): Promise<{ user: UserView } & TokenPair> {
    const user = await this.users.findByEmail(dto.email);
    await this.attempts.assertAllowed(user, origin.ip);
    const passwordOk = await this.hasher.verify(user?.passwordHash, dto.password);
    if (!user || !passwordOk) {
      const outcome = await this.attempts.recordFailure(user, origin.ip);
      if (user) {
        await this.auditUser(user.id, {
          action: 'auth.login_failed',
          actorUserId: user.id,
          origin,
          details: { reason: 'password' },
        });
        if (outcome.locked) {
          await this.auditUser(user.id, {
            action: 'auth.account_locked',
            actorUserId: user.id,
            origin,
            details: { until: outcome.until.toISOString() },
          });
        }
      }
      throw AuthErrors.invalidCredentials();
    }
    if (user.totpEnabledAt) {
      // A missing code is not a failure (the client asks for it); a wrong one is.
      if (!dto.totpCode) throw AuthErrors.totpRequired();
      if (!(await this.totp.consume(user, dto.totpCode))) {
        await this.attempts.recordFailure(user, origin.ip);
        await this.auditUser(user.id, {
          action: 'auth.login_failed',
          actorUserId: user.id,
          origin,
          details: { reason: 'totp' },
        });
        throw AuthErrors.totpRequired();
      }
    }
    await this.attempts.recordSuccess(user);
    await this.auditUser(user.id, { action: 'auth.login', actorUserId: user.id, origin });
    return { user: toUserView(user), ...(await this.tokens.issue(user, origin)) };
  }

  async refresh(refreshToken: string, origin: RequestOrigin): Promise<TokenPair> {
    const result = await this.tokens.rotate(refreshToken, origin);
    if (result.outcome === 'reused') {
      this.logger.warn({ userId: result.userId, familyId: result.familyId }, 'refresh token reuse: session revoked');
      await this.auditUser(result.userId, {
        action: 'auth.refresh_token_reused',
        actorUserId: result.userId,
        origin,
        details: { familyId: result.familyId },
      });
      throw AuthErrors.invalidRefreshToken();
    }
    return result.tokens;
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.revoke(refreshToken);
  }

  async me(userId: string) {
    const [user, memberships] = await Promise.all([this.users.get(userId), this.memberships.listForUser(userId)]);
    return {
      user: toUserView(user),
      memberships: memberships.map((m) => ({
        tenantId: m.tenantId,
        tenantName: m.tenantName,
        role: m.role,
        tenantStatus: m.tenantStatus,
      })),
    };
  }

  /** Account events belong to every business the account works for: each sees them. */
  private async auditUser(userId: string, event: AuditEvent): Promise<void> {
    const memberships = await this.memberships.listForUser(userId);
    await Promise.all(memberships.map((m) => this.audit.record({ tenantId: m.tenantId }, event)));
  }
}
