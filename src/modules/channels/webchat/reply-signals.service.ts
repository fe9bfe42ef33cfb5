import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { SharedSubscriber } from '../../../common/redis/shared-subscriber.js';
import { AppConfig } from '../../../config/app-config.js';
import { webchatReplyChannel } from './webchat-signal.js';

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
  private readonly watches = new Map<string, Set<Watch>>();
  private readonly subscriber: SharedSubscriber;
  private closing = false;

  constructor(private readonly config: AppConfig) {
    this.subscriber = new SharedSubscriber({
      url: config.redis.url,
      connectionName: 'hawker-webchat-replies',
      onMessage: (channel) => {
        for (const watch of this.watches.get(channel) ?? []) watch.notify();
      },
      logger: this.logger,
      outageWarning: 'web chat reply subscriber lost Redis; polling meanwhile',
    });
  }

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
    await this.subscriber.subscribe(channel);
    return watch;
  }

  /** Releases every waiter first, so that the HTTP server can close without waiting out long-polls. */
  onModuleDestroy(): void {
    this.closing = true;
    for (const set of this.watches.values()) for (const watch of set) watch.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.subscriber.close();
  }

  private channelOf(sessionId: string): string {
    return webchatReplyChannel(this.config.redis.prefix, sessionId);
  }

  private release(channel: string, watch: Watch): void {
    const set = this.watches.get(channel);
    if (!set?.delete(watch) || set.size > 0) return;
    this.watches.delete(channel);
    this.subscriber.unsubscribe(channel);
  }
}
