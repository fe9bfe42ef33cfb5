import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '../../../common/uuid.js';
import { ChannelErrors } from './channels.errors.js';
import { ChannelRoute } from './entities/channel-route.entity.js';
import type { ChannelType, MetaChannelType } from './entities/channel.entity.js';
import { TtlLruCache } from './ttl-lru-cache.js';

export interface ChannelRouteTarget {
  tenantId: string;
  channelId: string;
}

export interface NewChannelRoute {
  provider: ChannelType;
  externalId: string;
  tenantId: string;
  channelId: string;
  allowedOrigins: string[] | null;
}

/**
 * A connected account is cached for 30 s and an unknown one for 5 s, so a webhook almost
 * never waits for Postgres. Invalidation reaches only this process: after a disconnect other
 * instances may route to the old channel for up to the positive TTL, so consumers must still
 * check the channel's status in their own tenant transaction.
 */
const POSITIVE_TTL_MS = 30_000;
const NEGATIVE_TTL_MS = 5_000;
const MAX_CACHED_ROUTES = 10_000;
/** The schema's bound on provider ids: anything longer cannot be routed and is not looked up. */
const MAX_EXTERNAL_ID_LENGTH = 64;

/** The routing index (`channel_routes`), the one owner of that platform table. */
@Injectable()
export class ChannelRouter {
  private readonly cache = new TtlLruCache<string, ChannelRouteTarget | undefined>(MAX_CACHED_ROUTES);
  /** Lookups under way, so a burst of webhooks for one account costs one query. */
  private readonly inFlight = new Map<string, Promise<ChannelRouteTarget | undefined>>();
  /** Bumped by every invalidation: a lookup that started before one must not cache its answer. */
  private epoch = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** Which tenant and channel a webhook for this account belongs to; undefined when none is connected. */
  resolve(provider: MetaChannelType, externalId: string): Promise<ChannelRouteTarget | undefined> {
    if (externalId.length === 0 || externalId.length > MAX_EXTERNAL_ID_LENGTH) return Promise.resolve(undefined);
    const key = routeKey(provider, externalId);
    const hit = this.cache.lookup(key);
    if (hit) return Promise.resolve(hit.value);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const lookup = this.load(provider, externalId, key).finally(() => {
      // Only this lookup's own entry: after an invalidation a newer one may have replaced it.
      if (this.inFlight.get(key) === lookup) this.inFlight.delete(key);
    });
    this.inFlight.set(key, lookup);
    return lookup;
  }

  /** Forgets what this process knows of an account; call it after the transaction that changed the route commits. */
  invalidate(provider: MetaChannelType, externalId: string): void {
    const key = routeKey(provider, externalId);
    this.epoch++;
    this.cache.delete(key);
    this.inFlight.delete(key);
  }

  /**
   * Records a route inside the tenant transaction that creates its channel. The primary key
   * is the lock: an account connected in any tenant makes the insert, and so the whole
   * connection, fail.
   */
  async claim(tx: EntityManager, route: NewChannelRoute): Promise<void> {
    try {
      await tx.getRepository(ChannelRoute).insert(route);
    } catch (error) {
      if (isUniqueViolation(error, 'channel_routes_pkey')) throw ChannelErrors.taken(route.provider);
      throw error;
    }
  }

  async release(tx: EntityManager, channelId: string): Promise<void> {
    await tx.getRepository(ChannelRoute).delete({ channelId });
  }

  async setAllowedOrigins(tx: EntityManager, channelId: string, allowedOrigins: string[]): Promise<void> {
    await tx.getRepository(ChannelRoute).update({ channelId, provider: 'webchat' }, { allowedOrigins });
  }

  /** A connected web chat channel by its id. Not cached: origins must take effect at once. */
  async findWebchat(channelId: string): Promise<ChannelRoute | undefined> {
    if (!isUuid(channelId)) return undefined;
    const route = await this.dataSource
      .getRepository(ChannelRoute)
      .findOneBy({ provider: 'webchat', externalId: channelId.toLowerCase() });
    return route ?? undefined;
  }

  private async load(provider: MetaChannelType, externalId: string, key: string) {
    const epoch = this.epoch;
    const rows: { tenant_id: string; channel_id: string }[] = await this.dataSource.query(
      'SELECT tenant_id, channel_id FROM channel_routes WHERE provider = $1 AND external_id = $2',
      [provider, externalId],
    );
    const target = rows[0] ? { tenantId: rows[0].tenant_id, channelId: rows[0].channel_id } : undefined;
    if (epoch === this.epoch) this.cache.set(key, target, target ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS);
    return target;
  }
}

function routeKey(provider: MetaChannelType, externalId: string): string {
  return `${provider}:${externalId}`;
}

/** Read by shape: the driver's error is what carries Postgres' code and constraint name. */
function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = (error as { driverError?: { code?: unknown; constraint?: unknown } } | null)?.driverError;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}
