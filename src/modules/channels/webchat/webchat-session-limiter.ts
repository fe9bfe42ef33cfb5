import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { REDIS } from '../../../common/redis/redis.module.js';
import { WebchatErrors } from './webchat.errors.js';

/** A person typing does not send more; a script flooding the bot (and its AI budget) does. */
export const WEBCHAT_MESSAGES_PER_MINUTE = 30;

/**
 * Messages a minute per web chat session, on top of the per-address limit every route has:
 * many customers can share one address (mobile carriers' NAT), one session is one customer.
 * Counted in Redis so the limit holds across API instances; in memory while Redis is away.
 */
@Injectable()
export class WebchatSessionLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(@Inject(REDIS) redis: Redis) {
    const options = { keyPrefix: 'rate-limit:webchat-session', points: WEBCHAT_MESSAGES_PER_MINUTE, duration: 60 };
    this.limiter = new RateLimiterRedis({
      ...options,
      storeClient: redis,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }

  async consume(sessionId: string): Promise<void> {
    try {
      await this.limiter.consume(sessionId);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        throw WebchatErrors.tooManyMessages(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw rejection;
    }
  }
}
