import { Injectable } from '@nestjs/common';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { ChannelRouter } from '../../channels/connections/channel-router.service.js';
import type { MetaChannelType } from '../../channels/connections/entities/channel.entity.js';
import { ChannelShutdown } from '../../channels/connections/channel-shutdown.service.js';

const META_CHANNELS: MetaChannelType[] = ['whatsapp', 'instagram'];

/**
 * Meta's deauthorize callback: the account removed our app, so every channel connected
 * with that account id (a WhatsApp phone number id or an Instagram account id) is
 * disconnected, in whichever business connected it.
 */
@Injectable()
export class MetaDeauthorizeService {
  constructor(
    private readonly router: ChannelRouter,
    private readonly tenantDb: TenantDb,
    private readonly shutdown: ChannelShutdown,
    private readonly audit: AuditService,
  ) {}

  async deauthorize(accountId: string): Promise<{ channelsDisconnected: number }> {
    let channelsDisconnected = 0;
    for (const provider of META_CHANNELS) {
      // Asked afresh: the routing cache may remember the account as unknown for a few seconds.
      this.router.invalidate(provider, accountId);
      const route = await this.router.resolve(provider, accountId);
      if (!route) continue;
      const scope = { tenantId: route.tenantId };
      const disconnected = await this.tenantDb.run(scope, async (tx) => {
        const channels = await this.shutdown.disconnect(tx, scope, { reason: 'meta_deauthorized' }, [route.channelId]);
        await this.audit.recordIn(tx, scope, {
          action: 'privacy.meta_deauthorized',
          actorType: 'system',
          target: { type: 'channel', id: route.channelId },
          details: { provider, channelsDisconnected: channels.length },
        });
        return channels;
      });
      this.shutdown.forgetRoutes(disconnected);
      channelsDisconnected += disconnected.length;
    }
    return { channelsDisconnected };
  }
}
