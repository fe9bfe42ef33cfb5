import { Injectable } from '@nestjs/common';
import { TenantDb } from '../../../database/tenant-db.js';
import type { InboundContent } from '../meta/meta-events.js';

export interface NewInboxRow {
  channelId: string;
  providerMessageId: string;
  customerRef: string;
  customerName?: string;
  content: InboundContent;
  sentAt: Date;
}

/**
 * The durable front door: a delivery is committed here before the provider gets its 200.
 * The unique (channel, provider message id) makes a replayed delivery a no-op.
 */
@Injectable()
export class InboxService {
  constructor(private readonly tenantDb: TenantDb) {}

  /** Stores one tenant's rows in one statement; returns the ids of the rows that were new. */
  async store(tenantId: string, rows: NewInboxRow[]): Promise<string[]> {
    if (rows.length === 0) return [];
    return this.tenantDb.run({ tenantId }, async (tx) => {
      const inserted = await tx.query<{ id: string }[]>(
        `INSERT INTO inbox_messages (tenant_id, channel_id, provider_message_id, customer_ref, customer_name, content, sent_at)
         SELECT $1, r.channel_id, r.provider_message_id, r.customer_ref, r.customer_name, r.content, r.sent_at
           FROM jsonb_to_recordset($2::jsonb) AS r(channel_id uuid, provider_message_id text, customer_ref text, customer_name text, content jsonb, sent_at timestamptz)
          -- Another instance's routing cache may lag a disconnect by seconds: a channel
          -- that is gone takes nothing in.
          WHERE EXISTS (SELECT 1 FROM channels c WHERE c.tenant_id = $1 AND c.id = r.channel_id AND c.status <> 'disconnected')
         ON CONFLICT (channel_id, provider_message_id) DO NOTHING
         RETURNING id`,
        [
          tenantId,
          JSON.stringify(
            rows.map((row) => ({
              channel_id: row.channelId,
              provider_message_id: row.providerMessageId,
              customer_ref: row.customerRef,
              customer_name: row.customerName ?? null,
              content: row.content,
              sent_at: row.sentAt.toISOString(),
            })),
          ),
        ],
      );
      return inserted.map((row) => row.id);
    });
  }
}
