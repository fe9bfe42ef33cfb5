import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../database/tenant-db.js';
import { Conversation } from './entities/conversation.entity.js';

export interface CustomerIdentity {
  channelId: string;
  /** The customer as the channel knows them (wa_id, IGSID, web chat session). */
  externalRef: string;
  displayName?: string | null;
  /** E.164, when the channel tells us (WhatsApp). */
  phone?: string | null;
}

/** Contacts and their conversations, as the inbound pipeline meets them. */
@Injectable()
export class ConversationsService {
  /**
   * The customer's conversation on this channel, created on first contact and locked
   * for the rest of the caller's transaction. Also moves the messaging window forward.
   */
  async openForInbound(
    tx: EntityManager,
    scope: TenantScope,
    who: CustomerIdentity,
    lastInboundAt: Date,
  ): Promise<Conversation> {
    const [contact] = await tx.query<{ id: string }[]>(
      `INSERT INTO contacts (tenant_id, channel_id, external_ref, display_name, phone, last_inbound_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, channel_id, external_ref) DO UPDATE SET
         display_name = coalesce(excluded.display_name, contacts.display_name),
         phone = coalesce(excluded.phone, contacts.phone),
         last_inbound_at = greatest(contacts.last_inbound_at, excluded.last_inbound_at)
       RETURNING id`,
      [scope.tenantId, who.channelId, who.externalRef, who.displayName ?? null, who.phone ?? null, lastInboundAt],
    );
    await tx.query(
      `INSERT INTO conversations (tenant_id, contact_id, channel_id, last_inbound_at, last_message_at)
       VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (tenant_id, contact_id, channel_id) DO UPDATE SET
         last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at)`,
      [scope.tenantId, contact.id, who.channelId, lastInboundAt],
    );
    return tx
      .getRepository(Conversation)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.tenantId = :tenantId AND c.contactId = :contactId AND c.channelId = :channelId', {
        tenantId: scope.tenantId,
        contactId: contact.id,
        channelId: who.channelId,
      })
      .getOneOrFail();
  }
}
