import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../../common/redis/redis.module.js';
import { AuthErrors } from './auth.errors.js';
import { User } from './entities/user.entity.js';

export const ACCOUNT_LOCK_THRESHOLD = 10;
export const ACCOUNT_LOCK_MINUTES = 15;
// An address may fail more often than one account (an office shares an IP), but a
// password sprayer trying many accounts from one address is stopped here.
export const IP_LOCK_THRESHOLD = 50;
export const IP_WINDOW_SECONDS = 15 * 60;

export type FailureOutcome = { locked: false } | { locked: true; until: Date };

/**
 * Brute-force defence for sign-in. Account lockouts live in Postgres, so they hold even
 * when Redis is away; per-address counters live in Redis and fail open.
 */
@Injectable()
export class LoginAttemptsService {
  private readonly logger = new Logger(LoginAttemptsService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Refuses with 429 and Retry-After while the account or the address is locked. */
  async assertAllowed(user: User | null, ip: string): Promise<void> {
    if (user?.lockedUntil && user.lockedUntil > new Date()) {
      throw AuthErrors.locked(secondsUntil(user.lockedUntil));
    }
    const ipTtl = await this.ipLockSeconds(ip);
    if (ipTtl > 0) throw AuthErrors.locked(ipTtl);
  }

  /** Counts a failure; returns whether it locked the account. */
  async recordFailure(user: User | null, ip: string): Promise<FailureOutcome> {
    await this.countIpFailure(ip);
    if (!user) return { locked: false };
    const [row] = await this.dataSource.query<[[{ failed_login_count: number; locked_until: Date | null }], number]>(
      `UPDATE users SET
         failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0 ELSE failed_login_count + 1 END,
         locked_until = CASE WHEN failed_login_count + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
       WHERE id = $1
       RETURNING failed_login_count, locked_until`,
      [user.id, ACCOUNT_LOCK_THRESHOLD, ACCOUNT_LOCK_MINUTES],
    );
    const lockedUntil = row[0]?.locked_until;
    return lockedUntil && lockedUntil > new Date() && row[0].failed_login_count === 0
      ? { locked: true, until: lockedUntil }
      : { locked: false };
  }

  async recordSuccess(user: User): Promise<void> {
    if (user.failedLoginCount > 0 || user.lockedUntil) {
      await this.dataSource.getRepository(User).update({ id: user.id }, { failedLoginCount: 0, lockedUntil: null });
    }
  }

  private async ipLockSeconds(ip: string): Promise<number> {
    try {
      const [count, ttl] = await this.redis
        .multi()
        .get(ipKey(ip))
        .ttl(ipKey(ip))
        .exec()
        .then((r) => (r ?? []).map(([, v]) => v));
      return Number(count ?? 0) >= IP_LOCK_THRESHOLD ? Math.max(1, Number(ttl)) : 0;
    } catch (error) {
      this.logger.warn({ err: error }, 'address lockout check unavailable');
      return 0;
    }
  }

  private async countIpFailure(ip: string): Promise<void> {
    try {
      await this.redis.multi().incr(ipKey(ip)).expire(ipKey(ip), IP_WINDOW_SECONDS, 'NX').exec();
    } catch (error) {
      this.logger.warn({ err: error }, 'address failure counter unavailable');
    }
  }
}

const ipKey = (ip: string) => `login-failures:ip:${ip}`;
const secondsUntil = (date: Date) => Math.max(1, Math.ceil((date.getTime() - Date.now()) / 1000));
