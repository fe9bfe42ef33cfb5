import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import type { PutAiSettingsDto } from './ai-settings.dto.js';

export interface AiSettings {
  enabled: boolean;
  instructions: string;
  tone: string | null;
  handoffKeywords: string[];
  updatedAt: string | null;
}

const DEFAULTS: AiSettings = { enabled: false, instructions: '', tone: null, handoffKeywords: [], updatedAt: null };

@Injectable()
export class AiSettingsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
  ) {}

  get(scope: TenantScope): Promise<AiSettings> {
    return this.tenantDb.run(scope, (tx) => this.getIn(tx, scope));
  }

  /** Inside a tenant transaction already open (the conversation engine's). */
  async getIn(tx: EntityManager, scope: TenantScope): Promise<AiSettings> {
    const [row] = await tx.query<
      { enabled: boolean; instructions: string; tone: string | null; handoff_keywords: string[]; updated_at: Date }[]
    >(`SELECT enabled, instructions, tone, handoff_keywords, updated_at FROM ai_settings WHERE tenant_id = $1`, [
      scope.tenantId,
    ]);
    return row
      ? {
          enabled: row.enabled,
          instructions: row.instructions,
          tone: row.tone,
          handoffKeywords: row.handoff_keywords,
          updatedAt: row.updated_at.toISOString(),
        }
      : DEFAULTS;
  }

  put(ctx: TenantContext, dto: PutAiSettingsDto, origin: RequestOrigin): Promise<AiSettings> {
    return this.tenantDb.run(ctx, async (tx) => {
      await tx.query(
        `INSERT INTO ai_settings (tenant_id, enabled, instructions, tone, handoff_keywords, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id) DO UPDATE SET enabled = excluded.enabled, instructions = excluded.instructions,
           tone = excluded.tone, handoff_keywords = excluded.handoff_keywords, updated_by = excluded.updated_by`,
        [
          ctx.tenantId,
          dto.enabled,
          dto.instructions,
          dto.tone ?? null,
          [...new Set(dto.handoffKeywords ?? [])],
          ctx.userId,
        ],
      );
      await this.audit.recordIn(tx, ctx, {
        action: 'ai.settings_changed',
        actorUserId: ctx.userId,
        origin,
        details: { enabled: dto.enabled },
      });
      return this.getIn(tx, ctx);
    });
  }
}
