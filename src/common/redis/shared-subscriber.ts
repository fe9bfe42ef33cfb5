import type { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

// How long a caller waits for Redis to confirm a subscription before going on anyway.
export const SUBSCRIBE_WAIT_MS = 1000;

export interface SharedSubscriberOptions {
  url: string;
  connectionName: string;
  onMessage: (channel: string, message: string) => void;
  logger: Logger;
  /** What the outage means to users, logged once per outage, not once per retry. */
  outageWarning: string;
}

/**
 * One Redis subscriber connection per process for one feature, opened on first use and
 * subscribed to exactly the channels someone here listens to: a channel is subscribed
 * once however many listeners wait on it, subscribed again after Redis comes back if it
 * failed meanwhile, and dropped when the last listener goes.
 */
export class SharedSubscriber {
  private connection?: Redis;
  private healthy = true;
  private readonly wanted = new Set<string>();
  private readonly subscriptions = new Map<string, Promise<void>>();

  constructor(private readonly options: SharedSubscriberOptions) {}

  /** Subscribes (once) and resolves when Redis confirmed, or after SUBSCRIBE_WAIT_MS. Never rejects. */
  async subscribe(channel: string): Promise<void> {
    this.wanted.add(channel);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.subscribeOnce(channel),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  unsubscribe(channel: string): void {
    this.wanted.delete(channel);
    this.subscriptions.delete(channel);
    // Commands on one connection run in order: a SUBSCRIBE issued after this UNSUBSCRIBE
    // (a listener arriving meanwhile) still leaves the channel subscribed.
    this.connection?.unsubscribe(channel).catch(() => undefined);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.quit().catch(() => connection.disconnect());
  }

  private subscribeOnce(channel: string): Promise<void> {
    const existing = this.subscriptions.get(channel);
    if (existing) return existing;
    const subscribing: Promise<void> = this.open()
      .subscribe(channel)
      .then(
        () => undefined,
        (error: unknown) => {
          // Forgotten, so that the next reconnection (or listener) subscribes again.
          if (this.subscriptions.get(channel) === subscribing) this.subscriptions.delete(channel);
          this.options.logger.debug({ err: error, channel }, 'subscribe failed');
        },
      );
    this.subscriptions.set(channel, subscribing);
    return subscribing;
  }

  private open(): Redis {
    if (this.connection) return this.connection;
    const connection = new Redis(this.options.url, { connectionName: this.options.connectionName });
    connection.on('message', (channel: string, message: string) => this.options.onMessage(channel, message));
    // ioredis resubscribes what it had confirmed; what failed while Redis was away is
    // subscribed again here.
    connection.on('ready', () => {
      this.healthy = true;
      for (const channel of this.wanted) if (!this.subscriptions.has(channel)) void this.subscribeOnce(channel);
    });
    connection.on('error', (error: Error) => {
      if (this.healthy) this.options.logger.warn({ err: error }, this.options.outageWarning);
      this.healthy = false;
    });
    this.connection = connection;
    return connection;
  }
}
