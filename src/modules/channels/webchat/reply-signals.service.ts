import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../../config/app-config.js';
import { webchatReplyChannel } from './webchat-signal.js';

// How long a long-poll waits for Redis to confirm its subscription before reading anyway.
const SUBSCRIBE_WAIT_MS = 1000;

/** Why a wait ended: a reply was announced, the time was up, or the waiting had to stop. */
export type WakeReason = 'announced' | 'elapsed' | 'stopped';

/** One long-poll's interest in a session's replies. */
export interface ReplyWatch {
  /**
   * Resolves when a reply was announced since the previous call (at once if one already
   * was), after `ms`, when `signal` aborts, or on shutdown. Never rejects.
   */
  next(ms: number, signal: AbortSignal): Promise<WakeReason>;
  close(): void;
}

class Watch implements ReplyWatch {
  // Sticky: an announcement that lands while the caller is reading Postgres is not lost.
  private announced = false;
  private stopped = false;
  private wake?: (reason: WakeReason) => void;

  constructor(private readonly release: (watch: Watch) => void) {}

  notify(): void {
    this.announced = true;
    this.wake?.('announced');
  }

  stop(): void {
    this.stopped = true;
    this.wake?.('stopped');
  }

  next(ms: number, signal: AbortSignal): Promise<WakeReason> {
    if (this.stopped || signal.aborted) return Promise.resolve('stopped');
    if (this.announced) {
      this.announced = false;
      return Promise.resolve('announced');
    }
    return new Promise((resolve) => {
      const done = (reason: WakeReason) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', aborted);
        this.wake = undefined;
        if (reason === 'announced') this.announced = false;
        resolve(reason);
      };
      const aborted = () => done('stopped');
      const timer = setTimeout(() => done('elapsed'), ms);
      signal.addEventListener('abort', aborted, { once: true });
      this.wake = done;
    });
  }

  close(): void {
    this.stop();
    this.release(this);
  }
}

/**
 * Wakes long-polls when the worker that delivered a web chat reply announces it on Redis
 * pub/sub, whichever API instance holds them. One subscriber connection per process,
 * opened on first use, subscribed to exactly the sessions someone is waiting on here. An
 * announcement only says "look again": Postgres stays the source of truth.
 */
@Injectable()
export class ReplySignals implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(ReplySignals.name);
  private subscriber?: Redis;
  private healthy = true;
  private readonly watches = new Map<string, Set<Watch>>();
  private readonly subscriptions = new Map<string, Promise<void>>();
  private closing = false;

  constructor(private readonly config: AppConfig) {}

  /** True once the application is shutting down: nobody should start waiting. */
  get closed(): boolean {
    return this.closing;
  }

  /** How many long-polls of this session this process holds. */
  watching(sessionId: string): number {
    return this.watches.get(this.channelOf(sessionId))?.size ?? 0;
  }

  /** Starts listening for the session's replies; read Postgres after this resolves, not before. */
  async watch(sessionId: string): Promise<ReplyWatch> {
    const channel = this.channelOf(sessionId);
    const watch = new Watch((released) => this.release(channel, released));
    const set = this.watches.get(channel) ?? new Set<Watch>();
    set.add(watch);
    this.watches.set(channel, set);
    if (this.closing) {
      watch.stop();
      return watch;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.subscribe(channel),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS))),
    ]);
    clearTimeout(timer);
    return watch;
  }

  /** Releases every waiter first, so that the HTTP server can close without waiting out long-polls. */
  onModuleDestroy(): void {
    this.closing = true;
    for (const set of this.watches.values()) for (const watch of set) watch.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private channelOf(sessionId: string): string {
    return webchatReplyChannel(this.config.redis.prefix, sessionId);
  }

  private subscribe(channel: string): Promise<void> {
    const existing = this.subscriptions.get(channel);
    if (existing) return existing;
    const subscribing: Promise<void> = this.connection()
      .subscribe(channel)
      .then(
        () => undefined,
        (error: unknown) => {
          // The next long-poll of this session tries again; this one re-reads on its interval.
          if (this.subscriptions.get(channel) === subscribing) this.subscriptions.delete(channel);
          this.logger.debug({ err: error }, 'web chat subscribe failed');
        },
      );
    this.subscriptions.set(channel, subscribing);
    return subscribing;
  }

  private release(channel: string, watch: Watch): void {
    const set = this.watches.get(channel);
    if (!set?.delete(watch) || set.size > 0) return;
    this.watches.delete(channel);
    this.subscriptions.delete(channel);
    this.subscriber?.unsubscribe(channel).catch(() => undefined);
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = new Redis(this.config.redis.url, { connectionName: 'hawker-webchat-replies' });
    subscriber.on('message', (channel: string) => {
      for (const watch of this.watches.get(channel) ?? []) watch.notify();
    });
    subscriber.on('ready', () => (this.healthy = true));
    // ioredis reconnects (and resubscribes) by itself; say so once per outage, not per retry.
    subscriber.on('error', (error: Error) => {
      if (this.healthy) this.logger.warn({ err: error }, 'web chat reply subscriber lost Redis; polling meanwhile');
      this.healthy = false;
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}
