import type { Redis } from 'ioredis';

/**
 * The pub/sub channel that says "a reply for this web chat session is ready to read". Keyed
 * by the session, which is the contact's external reference, so that a long-poll can listen
 * before the session's first message has created its conversation. ioredis does not prefix
 * pub/sub channels (they are not keys), so the deployment's prefix is spelled out here.
 */
export function webchatReplyChannel(redisPrefix: string, sessionId: string): string {
  return `${redisPrefix}:webchat:${sessionId}`;
}

/**
 * Wakes the API instances long-polling for this session. Call it after the transaction that
 * made the reply visible has committed. Best effort: the waiting side re-reads Postgres every
 * few seconds anyway, so a lost notification only delays a reply.
 */
export async function announceWebchatReply(redis: Redis, redisPrefix: string, sessionId: string): Promise<void> {
  try {
    await redis.publish(webchatReplyChannel(redisPrefix, sessionId), '1');
  } catch {
    // Redis is away: the poll interval covers it.
  }
}
