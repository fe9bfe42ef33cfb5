import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Redis } from 'ioredis';
import { REDIS } from '../../../common/redis/redis.module.js';
import { AppConfig } from '../../../config/app-config.js';
import { CONVERSATION_EVENT, type ConversationEvent, type TenantEvent } from './conversation-events.js';
import { tenantEventsChannel } from './tenant-events-channel.js';

// A hung Redis connection must not hold up the work that committed the change.
const PUBLISH_TIMEOUT_MS = 1000;

/**
 * Tells this process's listeners and every API instance's live streams what changed.
 * Call it after the transaction that made the change has committed, never inside it:
 * a listener or a staff client that reads Postgres on hearing the event must find it.
 * Best effort: the database is the truth and clients re-read it on reconnect, so a lost
 * event costs freshness, never correctness. It never throws.
 */
@Injectable()
export class ConversationEventsPublisher {
  private readonly logger = new Logger(ConversationEventsPublisher.name);

  constructor(
    private readonly emitter: EventEmitter2,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async publish(tenantId: string, events: ConversationEvent[]): Promise<void> {
    if (events.length === 0) return;
    const at = new Date().toISOString();
    const envelopes = events.map((event): TenantEvent => ({ tenantId, event, at }));
    await Promise.all([this.emitLocally(envelopes), this.broadcast(tenantId, envelopes)]);
  }

  /**
   * Waits for in-process listeners, which only schedule work (a queue job), so that the
   * caller's job does not finish, and the process does not shut down, under them.
   */
  private async emitLocally(envelopes: TenantEvent[]): Promise<void> {
    for (const envelope of envelopes) {
      try {
        await this.emitter.emitAsync(CONVERSATION_EVENT, envelope);
      } catch (error) {
        this.logger.warn(
          { err: error, tenantId: envelope.tenantId, type: envelope.event.type },
          'event listener failed',
        );
      }
    }
  }

  private async broadcast(tenantId: string, envelopes: TenantEvent[]): Promise<void> {
    const channel = tenantEventsChannel(this.config.redis.prefix, tenantId);
    // Sent back to back on one connection, so subscribers see them in this order.
    const publishing = Promise.all(envelopes.map((envelope) => this.redis.publish(channel, JSON.stringify(envelope))));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), PUBLISH_TIMEOUT_MS)),
    );
    try {
      if ((await Promise.race([publishing, timeout])) === 'timeout')
        this.logger.warn({ tenantId, count: envelopes.length }, 'events not published: Redis did not answer in time');
    } catch (error) {
      this.logger.warn({ err: error, tenantId, count: envelopes.length }, 'events not published');
    } finally {
      clearTimeout(timer);
      publishing.catch(() => undefined);
    }
  }
}
