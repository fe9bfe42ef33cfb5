import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import type { TenantScope } from '../../../database/tenant-db.js';

/** Names this use of the JWT secret, so the hashes share a key with nothing else. */
const KEY_LABEL = 'hawker/erased-identity/v1';

export interface ChannelIdentity {
  channelId: string;
  /** The customer as the channel knows them (wa_id, IGSID, web chat session). */
  externalRef: string;
}

/**
 * Erased customers, remembered only as a keyed hash of their channel identity: enough to
 * answer "was this identity erased" (a repeated erasure or Meta data-deletion request is
 * then a no-op) without keeping the identity. Keyed (HMAC with a key derived from the
 * server's secret), not a plain hash, because phone numbers are few enough to enumerate.
 * If JWT_SECRET is rotated, older hashes stop matching: an identity erased before then
 * would be erased again, which is harmless.
 */
@Injectable()
export class ErasedIdentities {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.auth.jwtSecret, '', KEY_LABEL, 32));
  }

  hash(identity: ChannelIdentity): string {
    return createHmac('sha256', this.key).update(`${identity.channelId}\n${identity.externalRef}`).digest('hex');
  }

  async record(tx: EntityManager, scope: TenantScope, identity: ChannelIdentity, requestId: string): Promise<void> {
    await tx.query(
      `INSERT INTO erased_identities (tenant_id, channel_id, identity_hash, request_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [scope.tenantId, identity.channelId, this.hash(identity), requestId],
    );
  }

  async wasErased(tx: EntityManager, scope: TenantScope, identity: ChannelIdentity): Promise<boolean> {
    const [row] = await tx.query<unknown[]>(
      `SELECT 1 FROM erased_identities WHERE tenant_id = $1 AND channel_id = $2 AND identity_hash = $3`,
      [scope.tenantId, identity.channelId, this.hash(identity)],
    );
    return row !== undefined;
  }
}
