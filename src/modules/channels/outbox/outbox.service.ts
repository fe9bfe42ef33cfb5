import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';
import type { OutboundPayload } from './outbound-payload.js';
import { OutboundQueue } from './outbound.queue.js';

export interface OutboxEntry {
  channelId: string;
  conversationId: string;
  messageId: string;
  payload: OutboundPayload;
}

/**
 * The outbox: a reply is stored in the same transaction as the decision that made it,
 * so nothing decided is lost, and delivered after commit by the outbound processor.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly queue: OutboundQueue) {}

  async add(tx: EntityManager, scope: TenantScope, entry: OutboxEntry): Promise<string> {
    const [row] = await tx.query<{ id: string }[]>(
      `INSERT INTO outbox_messages (tenant_id, channel_id, conversation_id, message_id, payload)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [scope.tenantId, entry.channelId, entry.conversationId, entry.messageId, JSON.stringify(entry.payload)],
    );
    return row.id;
  }

  /** Call after the transaction that added rows has committed. */
  notify(scope: TenantScope, entry: { conversationId: string; channelId: string }, outboxId: string): Promise<void> {
    return this.queue.enqueue(
      { tenantId: scope.tenantId, conversationId: entry.conversationId, channelId: entry.channelId },
      outboxId,
    );
  }
}
