import { Injectable, Logger } from '@nestjs/common';
import { TenantDb } from '../../../database/tenant-db.js';
import { MessagesService } from '../../conversations/messages.service.js';
import { ChannelRouter } from '../connections/channel-router.service.js';
import type { ChannelKind, InboundMessageEvent, MetaWebhookEvents, StatusEvent } from '../meta/meta-events.js';
import { InboundQueue } from '../pipeline/inbound.queue.js';
import { InboxService, type NewInboxRow } from '../pipeline/inbox.service.js';

interface Routed<T> {
  tenantId: string;
  channelId: string;
  events: T[];
}

/**
 * What a verified Meta delivery does before it is acknowledged: route each event to its
 * tenant through the cached routing index, store messages in the inbox, apply delivery
 * statuses, then enqueue. No AI, no provider calls: Meta wants its 200 fast.
 */
@Injectable()
export class MetaIngestService {
  private readonly logger = new Logger(MetaIngestService.name);

  constructor(
    private readonly router: ChannelRouter,
    private readonly inbox: InboxService,
    private readonly queue: InboundQueue,
    private readonly tenantDb: TenantDb,
    private readonly messages: MessagesService,
  ) {}

  async ingest(events: MetaWebhookEvents): Promise<{ stored: number; duplicates: number; unrouted: number }> {
    const [messages, statuses] = await Promise.all([this.route(events.messages), this.route(events.statuses)]);
    const stored = await Promise.all(
      messages.routed.map(async (group) => ({
        tenantId: group.tenantId,
        ids: await this.inbox.store(
          group.tenantId,
          group.events.map((e) => toInboxRow(group.channelId, e)),
        ),
      })),
    );
    await Promise.all(statuses.routed.map((group) => this.applyStatuses(group)));
    const jobs = stored.flatMap(({ tenantId, ids }) => ids.map((inboxId) => ({ tenantId, inboxId })));
    await this.queue.enqueueAll(jobs);
    const unrouted = messages.unrouted + statuses.unrouted;
    if (unrouted)
      this.logger.warn({ unrouted }, 'webhook events for accounts connected to no tenant: acknowledged and dropped');
    return { stored: jobs.length, duplicates: events.messages.length - messages.unrouted - jobs.length, unrouted };
  }

  private async route<T extends { channel: ChannelKind; accountId: string }>(
    events: T[],
  ): Promise<{ routed: Routed<T>[]; unrouted: number }> {
    const groups = new Map<string, T[]>();
    for (const event of events) {
      const key = `${event.channel}:${event.accountId}`;
      groups.set(key, [...(groups.get(key) ?? []), event]);
    }
    const routed: Routed<T>[] = [];
    let unrouted = 0;
    for (const group of groups.values()) {
      const target = await this.router.resolve(group[0].channel, group[0].accountId);
      if (target) routed.push({ ...target, events: group });
      else unrouted += group.length;
    }
    return { routed, unrouted };
  }

  private applyStatuses(group: Routed<StatusEvent>): Promise<void> {
    return this.tenantDb.run({ tenantId: group.tenantId }, async (tx) => {
      for (const status of [...group.events].sort((a, b) => a.at.getTime() - b.at.getTime())) {
        await this.messages.applyStatus(
          tx,
          { tenantId: group.tenantId },
          { providerMessageId: status.providerMessageId },
          {
            status: status.status,
            at: status.at,
            errorCode: status.error ? `meta:${status.error.code}` : undefined,
            errorReason: status.error
              ? (status.error.details ?? status.error.message ?? status.error.title)
              : undefined,
          },
        );
      }
    });
  }
}

function toInboxRow(channelId: string, event: InboundMessageEvent): NewInboxRow {
  return {
    channelId,
    providerMessageId: event.providerMessageId,
    customerRef: event.customerId,
    customerName: event.customerName,
    content: event.content,
    sentAt: event.sentAt,
  };
}
