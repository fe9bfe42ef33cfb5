import { Injectable } from '@nestjs/common';
import { TenantDb } from '../../../database/tenant-db.js';
import type { OutboundPayload } from '../outbox/outbound-payload.js';
import { encodeReplyCursor, POSITION_SQL, type ReplyPosition } from './webchat-cursor.js';
import type { WebchatSession } from './webchat-sessions.service.js';

export interface WebchatReplyView {
  id: string;
  direction: 'out';
  /** The reply as plain text, for clients that show no rich messages. */
  text: string;
  content: OutboundPayload;
  createdAt: string;
}

export interface WebchatRepliesPage {
  items: WebchatReplyView[];
  /** Pass as `after` to get what comes next; the same cursor again when nothing did. */
  nextCursor: string | null;
}

export const REPLIES_PAGE_SIZE = 50;

interface ReplyRow {
  id: string;
  body: string;
  content: OutboundPayload;
  created_at: Date;
  position: string;
}

/**
 * What the business has said to a web chat session. A reply shows once the outbound
 * processor has "sent" it — for web chat, marked it sent — so the customer sees replies in
 * the order they were delivered, never one still waiting behind another.
 *
 * It reads the conversations module's transcript directly, as the outbound processor does,
 * keyed by the contact whose reference is the session id.
 */
@Injectable()
export class WebchatTranscript {
  constructor(private readonly tenantDb: TenantDb) {}

  async replies(session: WebchatSession, after: ReplyPosition | undefined): Promise<WebchatRepliesPage> {
    const rows = await this.tenantDb.run({ tenantId: session.tenantId }, (tx) =>
      tx.query<ReplyRow[]>(
        `SELECT m.id, m.body, m.content, m.created_at, ${POSITION_SQL} AS position
           FROM contacts ct
           JOIN conversations c ON c.tenant_id = ct.tenant_id AND c.contact_id = ct.id AND c.channel_id = ct.channel_id
           JOIN messages m ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id
          WHERE ct.tenant_id = $1 AND ct.channel_id = $2 AND ct.external_ref = $3
            AND m.direction = 'out' AND m.delivery_status IN ('sent', 'delivered', 'read')
            AND ($4::timestamptz IS NULL OR (m.created_at, m.id) > ($4::timestamptz, $5::uuid))
          ORDER BY m.created_at, m.id
          LIMIT $6`,
        [
          session.tenantId,
          session.channelId,
          session.sessionId,
          after?.at ?? null,
          after?.id ?? null,
          REPLIES_PAGE_SIZE,
        ],
      ),
    );
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => ({
        id: row.id,
        direction: 'out',
        text: row.body,
        content: row.content,
        createdAt: row.created_at.toISOString(),
      })),
      nextCursor: last
        ? encodeReplyCursor({ at: last.position, id: last.id })
        : after
          ? encodeReplyCursor(after)
          : null,
    };
  }
}
