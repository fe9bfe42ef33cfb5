import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { RequestOrigin } from '../../common/auth/route-access.js';
import { randomToken, sha256Hex } from '../../common/crypto/tokens.js';
import { AppConfig } from '../../config/app-config.js';
import { AuthErrors } from './auth.errors.js';
import { RefreshToken } from './entities/refresh-token.entity.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface AccessClaims {
  sub: string;
  email: string;
  typ: 'access';
}

export type RotationResult =
  { outcome: 'rotated'; userId: string; tokens: TokenPair } | { outcome: 'reused'; userId: string; familyId: string };

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Starts a new session family, at sign-in. */
  issue(user: { id: string; email: string }, origin: RequestOrigin): Promise<TokenPair> {
    return this.dataSource.transaction((tx) => this.issueIn(tx, user, randomUUID(), origin));
  }

  /**
   * Exchanges a refresh token for a new pair. A token already exchanged is a sign of
   * theft: its whole family is revoked, the successor included.
   */
  async rotate(refreshToken: string, origin: RequestOrigin): Promise<RotationResult> {
    const result = await this.dataSource.transaction(async (tx) => {
      const row = await tx
        .getRepository(RefreshToken)
        .createQueryBuilder('r')
        .setLock('pessimistic_write')
        .where('r.tokenHash = :hash', { hash: sha256Hex(refreshToken) })
        .getOne();
      if (!row || row.revokedAt || row.expiresAt <= new Date()) throw AuthErrors.invalidRefreshToken();
      if (row.usedAt) {
        await this.revokeFamilyIn(tx, row.familyId);
        return { outcome: 'reused' as const, userId: row.userId, familyId: row.familyId };
      }
      await tx.update(RefreshToken, { id: row.id }, { usedAt: () => 'now()' });
      // Through this transaction's connection: a second one from the pool while this one is
      // held could starve the pool under a burst of refreshes.
      const [{ email }] = await tx.query<{ email: string }[]>(`SELECT email FROM users WHERE id = $1`, [row.userId]);
      const tokens = await this.issueIn(tx, { id: row.userId, email }, row.familyId, origin);
      return { outcome: 'rotated' as const, userId: row.userId, tokens };
    });
    return result;
  }

  /** Ends the session the token belongs to. Unknown tokens are ignored: logout is idempotent. */
  async revoke(refreshToken: string): Promise<void> {
    const row = await this.dataSource.getRepository(RefreshToken).findOneBy({ tokenHash: sha256Hex(refreshToken) });
    if (row) await this.dataSource.transaction((tx) => this.revokeFamilyIn(tx, row.familyId));
  }

  verifyAccess(token: string): AccessClaims | undefined {
    try {
      const claims = this.jwt.verify<AccessClaims>(token, { algorithms: ['HS256'] });
      return claims.typ === 'access' && typeof claims.sub === 'string' ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  private async issueIn(
    tx: EntityManager,
    user: { id: string; email: string },
    familyId: string,
    origin: RequestOrigin,
  ): Promise<TokenPair> {
    const refreshToken = randomToken();
    const ttlDays = this.config.auth.refreshTokenTtlDays;
    await tx.insert(RefreshToken, {
      userId: user.id,
      familyId,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Date.now() + ttlDays * 86_400_000),
      ip: origin.ip,
      userAgent: origin.userAgent ?? null,
    });
    const claims: AccessClaims = { sub: user.id, email: user.email, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.auth.accessTokenTtlSeconds });
    return { accessToken, refreshToken, expiresIn: this.config.auth.accessTokenTtlSeconds };
  }

  private async revokeFamilyIn(tx: EntityManager, familyId: string): Promise<void> {
    await tx.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}
