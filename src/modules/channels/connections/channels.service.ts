import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SecretBox } from '../../../common/crypto/secret-box.js';
import { decodeKeyset, type Page, pageSize, toKeysetPage, withPositions } from '../../../common/http/pagination.js';
import { assertUuid, isUuid } from '../../../common/uuid.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { ChannelRouter } from './channel-router.service.js';
import { toChannelView, type ChannelView } from './channel.views.js';
import { ChannelErrors } from './channels.errors.js';
import type { ListChannelsQuery } from './dto/list-channels.dto.js';
import {
  Channel,
  type ChannelStatus,
  type InstagramSettings,
  type WebchatSettings,
  type WhatsAppSettings,
} from './entities/channel.entity.js';

interface DeliveryTargetBase {
  id: string;
  status: ChannelStatus;
  /** Decrypted; undefined for web chat and for a disconnected channel. */
  accessToken: string | undefined;
}

/** What the outbound processor needs to send through a channel. */
export type DeliveryTarget =
  | (DeliveryTargetBase & { type: 'whatsapp'; externalId: string; settings: WhatsAppSettings })
  | (DeliveryTargetBase & { type: 'instagram'; externalId: string; settings: InstagramSettings })
  | (DeliveryTargetBase & { type: 'webchat'; externalId: null; settings: WebchatSettings });

export interface WebchatChannel {
  tenantId: string;
  channelId: string;
  allowedOrigins: string[];
  status: ChannelStatus;
}

export const MAX_STATUS_REASON_LENGTH = 500;

/** Reading channels, for the API and for the message pipeline. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly secrets: SecretBox,
    private readonly router: ChannelRouter,
    private readonly audit: AuditService,
  ) {}

  list(scope: TenantScope, query: ListChannelsQuery): Promise<Page<ChannelView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    return this.tenantDb.run(scope, async (tx) => {
      const qb = tx
        .getRepository(Channel)
        .createQueryBuilder('c')
        .where('c.tenantId = :tenantId', { tenantId: scope.tenantId })
        .orderBy('c.createdAt', 'DESC')
        .addOrderBy('c.id', 'DESC');
      if (query.type) qb.andWhere('c.type = :type', { type: query.type });
      if (query.status) qb.andWhere('c.status = :status', { status: query.status });
      if (after) qb.andWhere('(c.createdAt, c.id) < (:at::timestamptz, :id::uuid)', { at: after.at, id: after.id });
      return toKeysetPage(await withPositions(qb.take(limit + 1), 'c.createdAt'), limit, toChannelView);
    });
  }

  async view(scope: TenantScope, channelId: string): Promise<ChannelView> {
    return toChannelView(await this.tenantDb.run(scope, (tx) => this.findIn(tx, scope, channelId)));
  }

  /** One channel of the tenant, disconnected or not; not found otherwise. */
  async findIn(tx: EntityManager, scope: TenantScope, channelId: string, options: { lock?: boolean } = {}) {
    assertUuid(channelId, 'Channel');
    const qb = tx
      .getRepository(Channel)
      .createQueryBuilder('c')
      .where('c.id = :channelId AND c.tenantId = :tenantId', { channelId, tenantId: scope.tenantId });
    if (options.lock) qb.setLock('pessimistic_write');
    const channel = await qb.getOne();
    if (!channel) throw ChannelErrors.notFound();
    return channel;
  }

  /**
   * The channel and its decrypted token, inside the caller's tenant transaction. Decrypting
   * is local: no provider is called. The caller decides what a status other than `active`
   * means for its delivery.
   */
  async getDeliveryTarget(
    tx: EntityManager,
    scope: TenantScope,
    channelId: string,
  ): Promise<DeliveryTarget | undefined> {
    if (!isUuid(channelId)) return undefined;
    const channel = await tx.getRepository(Channel).findOneBy({ id: channelId, tenantId: scope.tenantId });
    if (!channel) return undefined;
    const accessToken =
      channel.accessTokenSealed === null ? undefined : this.openToken(scope, channel.accessTokenSealed);
    // The row's type says which shape its settings and external id have (schema checks).
    return {
      id: channel.id,
      type: channel.type,
      externalId: channel.externalId,
      status: channel.status,
      accessToken,
      settings: channel.settings,
    } as DeliveryTarget;
  }

  /**
   * Flags a WhatsApp or Instagram channel whose token Meta refused (a `reconnect` failure).
   * Returns true when this call changed it, so a caller can alert staff once.
   */
  async markNeedsReconnect(scope: TenantScope, channelId: string, reason: string): Promise<boolean> {
    if (!isUuid(channelId)) return false;
    return this.tenantDb.run(scope, async (tx) => {
      const result = await tx
        .createQueryBuilder()
        .update(Channel)
        .set({ status: 'needs_reconnect', statusReason: reason.slice(0, MAX_STATUS_REASON_LENGTH) })
        .where(`id = :channelId AND tenant_id = :tenantId AND status = 'active' AND type <> 'webchat'`, {
          channelId,
          tenantId: scope.tenantId,
        })
        .execute();
      if (!result.affected) return false;
      await this.audit.recordIn(tx, scope, {
        action: 'channel.needs_reconnect',
        actorType: 'system',
        target: { type: 'channel', id: channelId },
      });
      return true;
    });
  }

  /**
   * A connected web chat channel, for the public web chat routes, which know no tenant yet.
   * Read from the routing index, where a web chat is listed exactly while it is connected:
   * a disconnected one is not found, and a connected one is always active (it has no token).
   */
  async findWebchat(channelId: string): Promise<WebchatChannel | undefined> {
    const route = await this.router.findWebchat(channelId);
    if (!route) return undefined;
    return {
      tenantId: route.tenantId,
      channelId: route.channelId,
      allowedOrigins: route.allowedOrigins ?? [],
      status: 'active',
    };
  }

  /** Opens a token sealed for this tenant; a token sealed for another tenant does not open. */
  openToken(scope: TenantScope, sealed: string): string {
    try {
      return this.secrets.open(sealed, scope.tenantId);
    } catch {
      throw ChannelErrors.tokenUnreadable();
    }
  }
}
