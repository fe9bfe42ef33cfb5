import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { isUuid } from '../../../common/uuid.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { ConsentErrors } from './consent.errors.js';
import { CONSENT_PURPOSES, ConsentService, type ConsentPurpose, type ConsentSource } from './consent.service.js';
import type { ConsentEventView, ConsentView, ContactConsentsView } from './consent.views.js';
import type { PutConsentDto } from './dto/put-consent.dto.js';

/** How much history the API shows: a contact's consent changes are few. */
export const HISTORY_LIMIT = 100;

interface CurrentRow {
  purpose: ConsentPurpose;
  status: 'granted' | 'withdrawn';
  source: ConsentSource;
  actor_user_id: string | null;
  changed_at: Date;
}

interface EventRow extends CurrentRow {
  id: string;
}

/** The consents API: staff read a contact's consents and change them on the customer's word. */
@Injectable()
export class ContactConsentsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly consent: ConsentService,
  ) {}

  get(ctx: TenantContext, contactId: string): Promise<ContactConsentsView> {
    return this.tenantDb.run(ctx, async (tx) => {
      await this.assertContact(tx, ctx, contactId);
      return this.view(tx, ctx, contactId);
    });
  }

  put(ctx: TenantContext, contactId: string, dto: PutConsentDto, origin: RequestOrigin): Promise<ContactConsentsView> {
    return this.tenantDb.run(ctx, async (tx) => {
      await this.assertContact(tx, ctx, contactId);
      if (dto.granted) await this.assertNotWithdrawnByCustomer(tx, ctx, contactId, dto.purpose);
      await this.consent.record(tx, ctx, {
        contactId,
        purpose: dto.purpose,
        granted: dto.granted,
        source: 'staff',
        actorUserId: ctx.userId,
        origin,
      });
      return this.view(tx, ctx, contactId);
    });
  }

  /**
   * What the customer withdrew themselves (STOP in chat) only they can give back (START):
   * staff may record a withdrawal, or a consent given to them, but not overrule the customer.
   */
  private async assertNotWithdrawnByCustomer(
    tx: EntityManager,
    scope: TenantScope,
    contactId: string,
    purpose: PutConsentDto['purpose'],
  ): Promise<void> {
    const [current] = await tx.query<{ status: string; source: string }[]>(
      `SELECT status, source FROM contact_consents WHERE tenant_id = $1 AND contact_id = $2 AND purpose = $3`,
      [scope.tenantId, contactId, purpose],
    );
    if (current?.status === 'withdrawn' && current.source === 'chat') throw ConsentErrors.withdrawnByCustomer();
  }

  /** A malformed id, or one of another tenant, is answered like a missing contact. */
  private async assertContact(tx: EntityManager, scope: TenantScope, contactId: string): Promise<void> {
    if (!isUuid(contactId)) throw ConsentErrors.contactNotFound();
    // Locked against an erasure running at the same time, which would remove the consents too.
    const [contact] = await tx.query<unknown[]>(`SELECT 1 FROM contacts WHERE tenant_id = $1 AND id = $2 FOR SHARE`, [
      scope.tenantId,
      contactId,
    ]);
    if (!contact) throw ConsentErrors.contactNotFound();
  }

  private async view(tx: EntityManager, scope: TenantScope, contactId: string): Promise<ContactConsentsView> {
    const current = await tx.query<CurrentRow[]>(
      `SELECT purpose, status, source, actor_user_id, changed_at FROM contact_consents
        WHERE tenant_id = $1 AND contact_id = $2`,
      [scope.tenantId, contactId],
    );
    const history = await tx.query<EventRow[]>(
      `SELECT id, purpose, status, source, actor_user_id, created_at AS changed_at FROM consent_events
        WHERE tenant_id = $1 AND contact_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
      [scope.tenantId, contactId, HISTORY_LIMIT],
    );
    return {
      contactId,
      consents: CONSENT_PURPOSES.map((purpose) =>
        toConsentView(
          purpose,
          current.find((r) => r.purpose === purpose),
        ),
      ),
      history: history.map(toEventView),
    };
  }
}

function toConsentView(purpose: ConsentPurpose, row: CurrentRow | undefined): ConsentView {
  if (!row) return { purpose, status: 'not_recorded', granted: true, source: null, changedBy: null, changedAt: null };
  return {
    purpose,
    status: row.status,
    granted: row.status === 'granted',
    source: row.source,
    changedBy: row.actor_user_id,
    changedAt: row.changed_at.toISOString(),
  };
}

function toEventView(row: EventRow): ConsentEventView {
  return {
    id: row.id,
    purpose: row.purpose,
    status: row.status,
    source: row.source,
    changedBy: row.actor_user_id,
    at: row.changed_at.toISOString(),
  };
}
