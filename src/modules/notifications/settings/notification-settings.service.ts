import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import type { WhatsAppTemplate } from '../customer/customer-notification-plan.js';
import type { PutNotificationSettingsDto } from './notification-settings.dto.js';

export interface NotificationSettings {
  whatsappTemplate: WhatsAppTemplate | null;
  updatedAt: string | null;
}

interface SettingsRow {
  whatsapp_template_name: string | null;
  whatsapp_template_language: string | null;
  updated_at: Date;
}

/** How customers are reached outside the channels' windows. */
@Injectable()
export class NotificationSettingsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
  ) {}

  get(scope: TenantScope): Promise<NotificationSettings> {
    return this.tenantDb.run(scope, (tx) => this.getIn(tx, scope));
  }

  /** Inside a tenant transaction already open (the notification worker's). */
  async getIn(tx: EntityManager, scope: TenantScope): Promise<NotificationSettings> {
    const [row] = await tx.query<SettingsRow[]>(
      `SELECT whatsapp_template_name, whatsapp_template_language, updated_at
         FROM notification_settings WHERE tenant_id = $1`,
      [scope.tenantId],
    );
    if (!row) return { whatsappTemplate: null, updatedAt: null };
    const { whatsapp_template_name: name, whatsapp_template_language: languageCode } = row;
    return {
      whatsappTemplate: name && languageCode ? { name, languageCode } : null,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  put(ctx: TenantContext, dto: PutNotificationSettingsDto, origin: RequestOrigin): Promise<NotificationSettings> {
    const template = dto.whatsappTemplate
      ? { name: dto.whatsappTemplate.name, languageCode: dto.whatsappTemplate.languageCode }
      : null;
    return this.tenantDb.run(ctx, async (tx) => {
      await tx.query(
        `INSERT INTO notification_settings (tenant_id, whatsapp_template_name, whatsapp_template_language, updated_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id) DO UPDATE SET whatsapp_template_name = excluded.whatsapp_template_name,
           whatsapp_template_language = excluded.whatsapp_template_language, updated_by = excluded.updated_by`,
        [ctx.tenantId, template?.name ?? null, template?.languageCode ?? null, ctx.userId],
      );
      await this.audit.recordIn(tx, ctx, {
        action: 'notification.settings_changed',
        actorUserId: ctx.userId,
        origin,
        details: { whatsappTemplate: template },
      });
      return this.getIn(tx, ctx);
    });
  }
}
