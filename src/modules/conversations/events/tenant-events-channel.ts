import type { TenantEvent } from './conversation-events.js';

/**
 * The Redis pub/sub channel of one tenant's events. ioredis applies its `keyPrefix` to keys,
 * not to pub/sub channels, so the deployment's prefix is spelled out here: two installs
 * sharing a Redis server never hear each other.
 */
export function tenantEventsChannel(redisPrefix: string, tenantId: string): string {
  return `${redisPrefix}:events:${tenantId}`;
}

const EVENT_TYPE = /^[a-z_]+\.[a-z_]+$/;

/**
 * Reads a message from a tenant's channel. Anything that is not a well-formed event is
 * dropped rather than passed on: the type becomes an SSE `event:` line, so it must be a
 * plain word that cannot break the framing.
 */
export function parseTenantEvent(message: string): TenantEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<TenantEvent>;
  const event = candidate.event as { type?: unknown } | undefined;
  if (typeof candidate.tenantId !== 'string' || typeof candidate.at !== 'string') return undefined;
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || !EVENT_TYPE.test(event.type))
    return undefined;
  return candidate as TenantEvent;
}
