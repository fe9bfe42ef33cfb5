import { Injectable } from '@nestjs/common';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { AppConfig } from '../../../config/app-config.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { TenantLifecycle } from '../../tenants/tenant-lifecycle.service.js';
import type { TenantView } from '../../tenants/tenant.views.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { ChannelShutdown } from '../../channels/connections/channel-shutdown.service.js';
import { OwnerPassword } from './owner-password.js';
import { TenantDeletionErrors } from './tenant-deletion.errors.js';

export interface DeletionScheduledView {
  tenant: TenantView;
  /** Channels disconnected at once; they are not reconnected by a restore. */
  disconnectedChannelIds: string[];
  message: string;
}

export interface RestoredView {
  tenant: TenantView;
  /** Every channel is still disconnected and must be connected again. */
  channelsNeedReconnecting: true;
  message: string;
}

/**
 * An owner deleting their business: after their password, the business stops at once (its
 * channels disconnected, its API refusing work) and waits for the grace period, during
 * which an owner can restore it. The maintenance schedule purges it afterwards.
 */
@Injectable()
export class TenantDeletionService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly lifecycle: TenantLifecycle,
    private readonly tenants: TenantsService,
    private readonly channels: ChannelShutdown,
    private readonly password: OwnerPassword,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async request(ctx: TenantContext, password: string, origin: RequestOrigin): Promise<DeletionScheduledView> {
    if (!(await this.password.matches(ctx.userId, password))) {
      await this.audit.record(ctx, {
        action: 'tenant.deletion_refused',
        actorUserId: ctx.userId,
        origin,
        target: { type: 'tenant', id: ctx.tenantId },
        details: { reason: 'password' },
      });
      throw TenantDeletionErrors.invalidPassword();
    }
    const graceDays = this.config.privacy.tenantDeletionGraceDays;
    const disconnected = await this.tenantDb.run(ctx, async (tx) => {
      const scheduled = await this.lifecycle.scheduleDeletion(tx, ctx.tenantId, ctx.userId, graceDays);
      const channels = await this.channels.disconnect(tx, ctx, {
        reason: 'tenant_deletion',
        userId: ctx.userId,
        origin,
      });
      await this.audit.recordIn(tx, ctx, {
        action: 'tenant.deletion_scheduled',
        actorUserId: ctx.userId,
        origin,
        target: { type: 'tenant', id: ctx.tenantId },
        details: { dueAt: scheduled.dueAt.toISOString(), graceDays, channelsDisconnected: channels.length },
      });
      return channels;
    });
    this.channels.forgetRoutes(disconnected);
    const tenant = await this.tenants.view(ctx);
    return {
      tenant,
      disconnectedChannelIds: disconnected.map((channel) => channel.id),
      message:
        `The business and all its data will be deleted on ${tenant.deletion?.scheduledFor}. ` +
        'Until then an owner can restore it; its channels were disconnected and will need reconnecting.',
    };
  }

  async restore(ctx: TenantContext, origin: RequestOrigin): Promise<RestoredView> {
    await this.tenantDb.run(ctx, async (tx) => {
      await this.lifecycle.restore(tx, ctx.tenantId);
      await this.audit.recordIn(tx, ctx, {
        action: 'tenant.restored',
        actorUserId: ctx.userId,
        origin,
        target: { type: 'tenant', id: ctx.tenantId },
      });
    });
    return {
      tenant: await this.tenants.view(ctx),
      channelsNeedReconnecting: true,
      message: 'The business is restored. Its channels stay disconnected: reconnect them to receive messages again.',
    };
  }
}
