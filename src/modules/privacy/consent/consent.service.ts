import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import type { TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';

export const CONSENT_PURPOSES = ['service', 'marketing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_SOURCES = ['chat', 'staff', 'api'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export interface ConsentChange {
  contactId: string;
  purpose: ConsentPurpose;
  granted: boolean;
  source: ConsentSource;
  /** The staff member or API user, when not the customer in chat. */
  actorUserId?: string;
  /** Where a staff or API change came from, for the audit log. */
  origin?: RequestOrigin;
}

/**
 * Consent per contact and purpose. Every method runs in the caller's tenant transaction,
 * so a change commits with whatever prompted it (the chat reply confirming a STOP).
 */
@Injectable()
export class ConsentService {
  constructor(private readonly audit: AuditService) {}

  /**
   * Records a change, its history entry and its audit entry; false when it changed nothing
   * (the answer was already this one), in which case nothing is written.
   */
  async record(tx: EntityManager, scope: TenantScope, change: ConsentChange): Promise<boolean> {
    const status = change.granted ? 'granted' : 'withdrawn';
    const actorUserId = change.source === 'chat' ? null : (change.actorUserId ?? null);
    // Only a different answer updates the row, so a repeated STOP keeps its first time and
    // leaves no second history entry. The upsert locks the row: concurrent changes queue.
    const changed = await tx.query<unknown[]>(
      `INSERT INTO contact_consents (tenant_id, contact_id, purpose, status, source, actor_user_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, contact_id, purpose) DO UPDATE
         SET status = excluded.status, source = excluded.source, actor_user_id = excluded.actor_user_id,
             changed_at = clock_timestamp()
         WHERE contact_consents.status <> excluded.status
       RETURNING 1`,
      [scope.tenantId, change.contactId, change.purpose, status, change.source, actorUserId],
    );
    if (changed.length === 0) return false;
    await tx.query(
      `INSERT INTO consent_events (tenant_id, contact_id, purpose, status, source, actor_user_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [scope.tenantId, change.contactId, change.purpose, status, change.source, actorUserId],
    );
    await this.audit.recordIn(tx, scope, {
      action: 'consent.changed',
      actorType: change.source === 'chat' ? 'customer' : 'user',
      actorUserId,
      target: { type: 'contact', id: change.contactId },
      origin: change.origin,
      details: { purpose: change.purpose, status, source: change.source },
    });
    return true;
  }

  /** Whether the contact has withdrawn consent for this purpose (never asked counts as not withdrawn). */
  async isWithdrawn(
    tx: EntityManager,
    scope: TenantScope,
    contactId: string,
    purpose: ConsentPurpose,
  ): Promise<boolean> {
    const [row] = await tx.query<{ status: string }[]>(
      `SELECT status FROM contact_consents WHERE tenant_id = $1 AND contact_id = $2 AND purpose = $3`,
      [scope.tenantId, contactId, purpose],
    );
    return row?.status === 'withdrawn';
  }
}
