import { Injectable } from '@nestjs/common';
import { ChannelsService, type WebchatChannel } from '../connections/channels.service.js';
import { TtlLruCache } from '../connections/ttl-lru-cache.js';

// Browsers ask for the allowed origins on every cross-origin request and preflight; a few
// seconds of staleness after the business edits its origins is the price of not asking
// Postgres each time.
const ORIGINS_TTL_MS = 10_000;
const UNKNOWN_TTL_MS = 5_000;
const MAX_CACHED_CHANNELS = 10_000;

/** Web chat channels as the public routes meet them: by id, before any tenant is known. */
@Injectable()
export class WebchatChannels {
  private readonly origins = new TtlLruCache<string, readonly string[]>(MAX_CACHED_CHANNELS);
  /** Lookups under way, so a burst of preflights for one channel costs one query. */
  private readonly inFlight = new Map<string, Promise<readonly string[]>>();

  constructor(private readonly channels: ChannelsService) {}

  /**
   * The connected channel, read from the routing index each time: the routes that act on a
   * channel see a disconnect at once. Undefined for an unknown, disconnected or malformed id.
   */
  find(channelId: string): Promise<WebchatChannel | undefined> {
    return this.channels.findWebchat(channelId);
  }

  /** The origins that may call this channel's routes from a browser; none for an unknown channel. */
  allowedOrigins(channelId: string): Promise<readonly string[]> {
    const key = channelId.toLowerCase();
    const hit = this.origins.lookup(key);
    if (hit) return Promise.resolve(hit.value);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const lookup = this.channels
      .findWebchat(key)
      .then((channel) => {
        const origins = channel?.allowedOrigins ?? [];
        this.origins.set(key, origins, channel ? ORIGINS_TTL_MS : UNKNOWN_TTL_MS);
        return origins;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }
}
