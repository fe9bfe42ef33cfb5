import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import type { TenantScope } from '../../../database/tenant-db.js';
import { AppConfig } from '../../../config/app-config.js';
import { parseTenantEvent, tenantEventsChannel } from './tenant-events-channel.js';

/** Proxies and load balancers drop connections that stay silent for long; a comment keeps them open. */
export const HEARTBEAT_MS = 15_000;
// How long opening a stream waits for Redis to confirm the subscription before answering anyway.
const SUBSCRIBE_WAIT_MS = 1000;
// A client reading slower than events arrive is cut off instead of buffered without bound;
// it reconnects and re-reads, as after any disconnect.
const MAX_BUFFERED_BYTES = 256 * 1024;

/** One member's open stream: a raw HTTP response speaking server-sent events. */
export class EventStream {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    private readonly response: ServerResponse,
  ) {}

  get open(): boolean {
    return !this.response.destroyed && !this.response.writableEnded;
  }

  write(frame: string): void {
    if (!this.open) return;
    if (this.response.writableLength > MAX_BUFFERED_BYTES) {
      this.response.destroy();
      return;
    }
    this.response.write(frame);
  }

  end(): void {
    if (this.open) this.response.end();
  }
}

export interface Attachment {
  /** Settles once Redis confirmed the tenant's subscription, or after a second. Never rejects. */
  ready: Promise<void>;
  /** Stops delivering to the stream. Idempotent. */
  detach: () => void;
}

/**
 * Fans a tenant's events out to the streams this process holds for it. One Redis
 * subscriber connection per process, opened on first use, subscribed to exactly the
 * tenants somebody is watching here (reference-counted), so an instance receives no
 * traffic for tenants it does not serve. Every API instance does the same, which is how
 * an event published by a worker reaches a member connected to any of them.
 */
@Injectable()
export class TenantEventHub implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(TenantEventHub.name);
  private subscriber?: Redis;
  private healthy = true;
  private readonly streams = new Map<string, Set<EventStream>>();
  private readonly subscriptions = new Map<string, Promise<void>>();
  private heartbeat?: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly config: AppConfig) {}

  /** True once the application is shutting down: no new stream should open. */
  get closed(): boolean {
    return this.closing;
  }

  /** The streams this member holds open on this instance. */
  openStreams(scope: TenantScope, userId: string): number {
    let count = 0;
    for (const stream of this.streams.get(this.channelOf(scope.tenantId)) ?? []) if (stream.userId === userId) count++;
    return count;
  }

  attach(stream: EventStream): Attachment {
    const channel = this.channelOf(stream.tenantId);
    const set = this.streams.get(channel) ?? new Set<EventStream>();
    set.add(stream);
    this.streams.set(channel, set);
    this.startHeartbeat();
    let timer: NodeJS.Timeout | undefined;
    const ready = this.closing
      ? Promise.resolve()
      : Promise.race([
          this.subscribe(channel),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS))),
        ]).finally(() => clearTimeout(timer));
    return { ready, detach: () => this.detach(channel, stream) };
  }

  /** Ends every stream first, so that the HTTP server can close without waiting on them. */
  onModuleDestroy(): void {
    this.closing = true;
    this.stopHeartbeat();
    for (const set of [...this.streams.values()]) for (const stream of [...set]) stream.end();
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private channelOf(tenantId: string): string {
    return tenantEventsChannel(this.config.redis.prefix, tenantId);
  }

  private detach(channel: string, stream: EventStream): void {
    const set = this.streams.get(channel);
    if (!set?.delete(stream)) return;
    stream.end();
    if (set.size > 0) return;
    this.streams.delete(channel);
    this.subscriptions.delete(channel);
    // Commands on one connection run in order: a SUBSCRIBE issued after this UNSUBSCRIBE
    // for a stream that opens meanwhile still leaves the channel subscribed.
    this.subscriber?.unsubscribe(channel).catch(() => undefined);
    if (this.streams.size === 0) this.stopHeartbeat();
  }

  private subscribe(channel: string): Promise<void> {
    const existing = this.subscriptions.get(channel);
    if (existing) return existing;
    const subscribing: Promise<void> = this.connection()
      .subscribe(channel)
      .then(
        () => undefined,
        (error: unknown) => {
          // Forgotten, so that the next reconnection subscribes again (see `connection`).
          if (this.subscriptions.get(channel) === subscribing) this.subscriptions.delete(channel);
          this.logger.debug({ err: error }, 'tenant events subscribe failed');
        },
      );
    this.subscriptions.set(channel, subscribing);
    return subscribing;
  }

  private dispatch(channel: string, message: string): void {
    const set = this.streams.get(channel);
    if (!set) return;
    const tenantEvent = parseTenantEvent(message);
    // Defence in depth: an event is only ever delivered on its own tenant's channel.
    if (!tenantEvent || this.channelOf(tenantEvent.tenantId) !== channel) {
      this.logger.warn({ channel }, 'dropped a malformed tenant event');
      return;
    }
    // Re-serialised: JSON.stringify escapes line breaks, so the data stays on one line.
    const frame = `event: ${tenantEvent.event.type}\ndata: ${JSON.stringify(tenantEvent)}\n\n`;
    for (const stream of set) stream.write(frame);
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = new Redis(this.config.redis.url, { connectionName: 'hawker-tenant-events' });
    subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    // ioredis resubscribes what it had confirmed; channels whose subscription failed while
    // Redis was away are subscribed again here.
    subscriber.on('ready', () => {
      this.healthy = true;
      for (const channel of this.streams.keys()) if (!this.subscriptions.has(channel)) void this.subscribe(channel);
    });
    // Say so once per outage, not once per reconnection attempt.
    subscriber.on('error', (error: Error) => {
      if (this.healthy) this.logger.warn({ err: error }, 'tenant events subscriber lost Redis; streams paused');
      this.healthy = false;
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  private startHeartbeat(): void {
    if (this.heartbeat || this.closing) return;
    this.heartbeat = setInterval(() => {
      for (const set of this.streams.values()) for (const stream of set) stream.write(': ping\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
