import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RequestOrigin } from '../../common/auth/route-access.js';
import { decodeKeyset, Page, pageSize, PageQuery, toKeysetPage, withPositions } from '../../common/http/pagination.js';
import { TenantDb, TenantScope } from '../../database/tenant-db.js';
import { AuditActorType, AuditEntry } from './entities/audit-entry.entity.js';

export interface AuditEvent {
  action: string;
  actorUserId?: string | null;
  actorType?: AuditActorType;
  target?: { type: string; id: string };
  origin?: RequestOrigin;
  /** Never personal data or secrets: ids, counts, field names. */
  details?: Record<string, unknown>;
}

export interface AuditView {
  id: string;
  action: string;
  actorType: AuditActorType;
  actorUserId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

@Injectable()
export class AuditService {
  constructor(private readonly tenantDb: TenantDb) {}

  record(scope: TenantScope, event: AuditEvent): Promise<void> {
    return this.tenantDb.run(scope, (tx) => this.recordIn(tx, scope, event));
  }

  /** Records inside a tenant transaction already open, so the entry commits with the change. */
  async recordIn(tx: EntityManager, scope: TenantScope, event: AuditEvent): Promise<void> {
    await tx.query(
      `INSERT INTO audit_log (tenant_id, actor_user_id, actor_type, action, target_type, target_id, ip, user_agent, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        scope.tenantId,
        event.actorUserId ?? null,
        event.actorType ?? (event.actorUserId ? 'user' : 'system'),
        event.action,
        event.target?.type ?? null,
        event.target?.id ?? null,
        event.origin?.ip ?? null,
        event.origin?.userAgent ?? null,
        JSON.stringify(event.details ?? {}),
      ],
    );
  }

  list(scope: TenantScope, query: PageQuery & { action?: string }): Promise<Page<AuditView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    return this.tenantDb.run(scope, async (tx) => {
      const qb = tx
        .getRepository(AuditEntry)
        .createQueryBuilder('a')
        .orderBy('a.createdAt', 'DESC')
        .addOrderBy('a.id', 'DESC');
      if (query.action) qb.andWhere('a.action = :action', { action: query.action });
      if (after) qb.andWhere('(a.createdAt, a.id) < (:at::timestamptz, :id::uuid)', { at: after.at, id: after.id });
      return toKeysetPage(await withPositions(qb.take(limit + 1), 'a.createdAt'), limit, toView);
    });
  }
}

function toView(entry: AuditEntry): AuditView {
  return {
    id: entry.id,
    action: entry.action,
    actorType: entry.actorType,
    actorUserId: entry.actorUserId,
    targetType: entry.targetType,
    targetId: entry.targetId,
    ip: entry.ip,
    userAgent: entry.userAgent,
    details: entry.details,
    createdAt: entry.createdAt.toISOString(),
  };
}
