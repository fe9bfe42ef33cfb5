import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import type { TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { ChannelRouter } from './channel-router.service.js';
import type { ChannelType } from './entities/channel.entity.js';

export type ShutdownReason = 'staff' | 'tenant_deletion' | 'meta_deauthorized';

export interface ShutdownActor {
  reason: ShutdownReason;
  /** The member who disconnected it or deleted the business; none when Meta asked. */
  userId?: string;
  origin?: RequestOrigin;
}

export interface DisconnectedChannel {
  id: string;
  type: ChannelType;
  externalId: string | null;
}

/** What the channel shows afterwards, so staff know why it stopped and that it needs reconnecting. */
const STATUS_REASONS: Record<ShutdownReason, string | null> = {
  staff: null,
  tenant_deletion: 'Disconnected when the business was deleted; reconnect it to use it again',
  meta_deauthorized: 'Disconnected because the account removed Hawker at Meta; reconnect it to use it again',
};

/**
 * Disconnects channels for good — a member's choice, the business being deleted, the
 * account removing Hawker at Meta: the token
 * is erased and the route released, so nothing more is accepted or sent for the account.
 * Runs in the caller's tenant transaction; call `forgetRoutes` once it has committed.
 */
@Injectable()
export class ChannelShutdown {
  constructor(
    private readonly router: ChannelRouter,
    private readonly audit: AuditService,
  ) {}

  /** Every connected channel of the tenant, or only `channelIds` when given. */
  async disconnect(
    tx: EntityManager,
    scope: TenantScope,
    actor: ShutdownActor,
    channelIds?: string[],
  ): Promise<DisconnectedChannel[]> {
    const [rows] = await tx.query<[{ id: string; type: ChannelType; external_id: string | null }[], number]>(
      `UPDATE channels SET status = 'disconnected', status_reason = $3, disconnected_at = now(),
              access_token_sealed = NULL, access_token_last4 = NULL
        WHERE tenant_id = $1 AND status <> 'disconnected' AND ($2::uuid[] IS NULL OR id = ANY ($2::uuid[]))
        RETURNING id, type, external_id`,
      [scope.tenantId, channelIds ?? null, STATUS_REASONS[actor.reason]],
    );
    for (const channel of rows) {
      await this.router.release(tx, channel.id);
      await this.audit.recordIn(tx, scope, {
        action: 'channel.disconnected',
        actorUserId: actor.userId ?? null,
        origin: actor.origin,
        target: { type: 'channel', id: channel.id },
        details: { type: channel.type, reason: actor.reason },
      });
    }
    return rows.map((row) => ({ id: row.id, type: row.type, externalId: row.external_id }));
  }

  /** This process's routing cache may still hold the accounts: forget them after the commit. */
  forgetRoutes(channels: DisconnectedChannel[]): void {
    for (const channel of channels) {
      if (channel.type !== 'webchat' && channel.externalId) {
        this.router.invalidate(channel.type, channel.externalId);
      }
    }
  }
}
