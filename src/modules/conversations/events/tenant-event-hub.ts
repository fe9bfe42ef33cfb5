import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { TenantScope } from '../../../database/tenant-db.js';
import { SharedSubscriber } from '../../../common/redis/shared-subscriber.js';
import { AppConfig } from '../../../config/app-config.js';
import { parseTenantEvent, tenantEventsChannel } from './tenant-events-channel.js';

/** Proxies and load balancers drop connections that stay silent for long; a comment keeps them open. */
export const HEARTBEAT_MS = 15_000;
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
  private readonly streams = new Map<string, Set<EventStream>>();
  private readonly subscriber: SharedSubscriber;
  private heartbeat?: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly config: AppConfig) {
    this.subscriber = new SharedSubscriber({
      url: config.redis.url,
      connectionName: 'hawker-tenant-events',
      onMessage: (channel, message) => this.dispatch(channel, message),
      logger: this.logger,
      outageWarning: 'tenant events subscriber lost Redis; streams paused',
    });
  }

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
    const ready = this.closing ? Promise.resolve() : this.subscriber.subscribe(channel);
    return { ready, detach: () => this.detach(channel, stream) };
  }

  /** Ends every stream first, so that the HTTP server can close without waiting on them. */
  onModuleDestroy(): void {
    this.closing = true;
    this.stopHeartbeat();
    for (const set of [...this.streams.values()]) for (const stream of [...set]) stream.end();
  }

  onApplicationShutdown(): Promise<void> {
    return this.subscriber.close();
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
    this.subscriber.unsubscribe(channel);
    if (this.streams.size === 0) this.stopHeartbeat();
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
