import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../config/app-config.js';
import { Errors } from '../errors/app-error.js';
import { REDIS } from '../redis/redis.module.js';

const RATE_LIMIT = 'hawker:rate-limit';

/**
 * `credentials`: the stricter per-address limit for sign-in and signup, on top of the
 * account lockout. `none`: provider webhooks, which come from a few addresses in bursts
 * and are authenticated by signature instead.
 */
export type RateLimitPolicy = 'credentials' | 'none';
export const RateLimit = (policy: RateLimitPolicy) => SetMetadata(RATE_LIMIT, policy);

/**
 * Per-address request limits, counted in Redis so they hold across API instances. When
 * Redis is away each instance falls back to counting in memory rather than refusing.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly general: RateLimiterAbstract;
  private readonly credentials: RateLimiterAbstract;

  constructor(
    private readonly reflector: Reflector,
    @Inject(REDIS) redis: Redis,
    config: AppConfig,
  ) {
    this.general = limiter(redis, 'general', config.http.rateLimitPerMinute, 0);
    this.credentials = limiter(redis, 'credentials', config.http.authRateLimitPerMinute, 60);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.get<RateLimitPolicy | undefined>(RATE_LIMIT, context.getHandler());
    if (policy === 'none') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    await this.consume(this.general, request.ip, reply);
    if (policy === 'credentials') await this.consume(this.credentials, request.ip, reply);
    return true;
  }

  private async consume(limiter: RateLimiterAbstract, key: string, reply: FastifyReply): Promise<void> {
    try {
      const res = await limiter.consume(key);
      void reply.header('ratelimit-remaining', String(res.remainingPoints));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        throw Errors.rateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw rejection;
    }
  }
}

function limiter(redis: Redis, name: string, points: number, blockSeconds: number): RateLimiterAbstract {
  const options = { keyPrefix: `rate-limit:${name}`, points, duration: 60, blockDuration: blockSeconds };
  return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
}
