import { Injectable } from '@nestjs/common';
import { randomToken, sha256Hex } from '../../../common/crypto/tokens.js';
import { TenantDb } from '../../../database/tenant-db.js';
import type { WebchatChannel } from '../connections/channels.service.js';

/** A web chat customer, as the session token proves them. The session id is their contact reference. */
export interface WebchatSession {
  tenantId: string;
  channelId: string;
  sessionId: string;
}

// randomToken(32): 256 bits, base64url without padding.
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
// Writing last_seen_at on every poll would turn each read into a write.
const SEEN_RESOLUTION_SECONDS = 60;

/**
 * Web chat sessions. The token is the customer's only credential, like a device passport:
 * 256 random bits, handed out once and stored as its SHA-256.
 */
@Injectable()
export class WebchatSessions {
  constructor(private readonly tenantDb: TenantDb) {}

  /** Opens a session on a channel that is still connected; undefined when it is not. */
  async open(
    channel: WebchatChannel,
    userAgent: string | undefined,
  ): Promise<{ sessionId: string; sessionToken: string } | undefined> {
    const sessionToken = randomToken(32);
    const rows = await this.tenantDb.run({ tenantId: channel.tenantId }, (tx) =>
      tx.query<{ id: string }[]>(
        `INSERT INTO webchat_sessions (tenant_id, channel_id, token_hash, user_agent)
         SELECT $1, $2, $3, $4
          WHERE EXISTS (SELECT 1 FROM channels c
                         WHERE c.tenant_id = $1 AND c.id = $2 AND c.type = 'webchat' AND c.status <> 'disconnected')
         RETURNING id`,
        [channel.tenantId, channel.channelId, sha256Hex(sessionToken), userAgent?.slice(0, 512) ?? null],
      ),
    );
    return rows[0] ? { sessionId: rows[0].id, sessionToken } : undefined;
  }

  /**
   * The session this token opened on this channel. A token of another channel, even of the
   * same business, is no session here; nor is any token once the channel is disconnected.
   */
  async authenticate(channel: WebchatChannel, token: string): Promise<WebchatSession | undefined> {
    if (!SESSION_TOKEN.test(token)) return undefined;
    const rows = await this.tenantDb.run({ tenantId: channel.tenantId }, (tx) =>
      tx.query<{ id: string }[]>(
        `WITH found AS (
           SELECT s.id, s.last_seen_at FROM webchat_sessions s
             JOIN channels c ON c.tenant_id = s.tenant_id AND c.id = s.channel_id AND c.status <> 'disconnected'
            WHERE s.tenant_id = $1 AND s.channel_id = $2 AND s.token_hash = $3
         ), seen AS (
           UPDATE webchat_sessions s SET last_seen_at = now()
             FROM found
            WHERE s.tenant_id = $1 AND s.id = found.id
              AND found.last_seen_at < now() - make_interval(secs => $4)
         )
         SELECT id FROM found`,
        [channel.tenantId, channel.channelId, sha256Hex(token), SEEN_RESOLUTION_SECONDS],
      ),
    );
    return rows[0] ? { tenantId: channel.tenantId, channelId: channel.channelId, sessionId: rows[0].id } : undefined;
  }
}
