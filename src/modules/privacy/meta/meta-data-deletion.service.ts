import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { hmacHex } from '../../../common/crypto/tokens.js';
import { AppConfig } from '../../../config/app-config.js';
import { APP_DB_ROLE } from '../../../database/db-roles.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { PrivacyRequests } from '../requests/privacy-requests.service.js';
import type { DeletionStatus } from './deletion-status.page.js';
import { IdentityLookup } from './identity-lookup.js';

export const CONFIRMATION_CODE = /^[A-Za-z0-9]{16,64}$/;

export interface DataDeletionAnswer {
  url: string;
  confirmation_code: string;
}

/**
 * Meta's data-deletion callback: every contact with the person's channel identity, in every
 * business, is scheduled for erasure, and the request is kept (by a hash of the id, never
 * the id) for the public status page whose address Meta shows the person.
 */
@Injectable()
export class MetaDataDeletionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly lookup: IdentityLookup,
    private readonly privacyRequests: PrivacyRequests,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async request(userId: string): Promise<DataDeletionAnswer> {
    const contacts = await this.lookup.contactsWith(userId);
    const confirmationCode = randomBytes(16).toString('hex');
    const requestId = await this.store(confirmationCode, userId, contacts.length);
    for (const [tenantId, contactIds] of byTenant(contacts.map((c) => [c.tenantId, c.contactId]))) {
      await this.scheduleErasures(requestId, confirmationCode, tenantId, contactIds);
    }
    return {
      url: `${this.config.http.publicBaseUrl}/v1/meta/data-deletion/${confirmationCode}`,
      confirmation_code: confirmationCode,
    };
  }

  /** What the status page shows; undefined for a code no request has. */
  async status(confirmationCode: string): Promise<DeletionStatus | undefined> {
    if (!CONFIRMATION_CODE.test(confirmationCode)) return undefined;
    const [request] = await this.dataSource.query<{ id: string; created_at: Date; contacts_found: number }[]>(
      `SELECT id, created_at, contacts_found FROM meta_deletion_requests WHERE confirmation_code = $1`,
      [confirmationCode],
    );
    if (!request) return undefined;
    // Row-level security shows the status page this request's rows, in every business, and no other's.
    const erasures = await this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.meta_request_id', $1, true)`, [request.id]);
      return tx.query<{ tenant_id: string; privacy_request_id: string }[]>(
        `SELECT tenant_id, privacy_request_id FROM meta_deletion_erasures WHERE request_id = $1`,
        [request.id],
      );
    });
    const byBusiness = byTenant(erasures.map((e) => [e.tenant_id, e.privacy_request_id]));
    let erasuresDone = 0;
    for (const [tenantId, requestIds] of byBusiness) erasuresDone += await this.erasuresDone(tenantId, requestIds);
    return {
      confirmationCode,
      receivedAt: request.created_at,
      contactsFound: request.contacts_found,
      businesses: byBusiness.size,
      erasuresDone,
      erasuresScheduled: erasures.length,
    };
  }

  /** Read in the business's own transaction: the requests are its records. */
  private async erasuresDone(tenantId: string, requestIds: string[]): Promise<number> {
    const [row] = await this.tenantDb.run({ tenantId }, (tx) =>
      tx.query<{ done: number }[]>(
        `SELECT count(*)::int AS done FROM privacy_requests
          WHERE tenant_id = $1 AND id = ANY ($2::uuid[]) AND status = 'done'`,
        [tenantId, requestIds],
      ),
    );
    return row.done;
  }

  private async store(confirmationCode: string, userId: string, contactsFound: number): Promise<string> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true)`, [APP_DB_ROLE]);
      const [row] = await tx.query<{ id: string }[]>(
        `INSERT INTO meta_deletion_requests (confirmation_code, user_hash, contacts_found) VALUES ($1, $2, $3)
         RETURNING id`,
        [confirmationCode, this.userHash(userId), contactsFound],
      );
      return row.id;
    });
  }

  /** One business's share, in its own transaction: its erasure requests and their record. */
  private scheduleErasures(
    requestId: string,
    confirmationCode: string,
    tenantId: string,
    contactIds: string[],
  ): Promise<void> {
    const scope = { tenantId };
    return this.tenantDb.run(scope, async (tx) => {
      const erasureIds: string[] = [];
      for (const contactId of contactIds) {
        const erasure = await this.privacyRequests.scheduleErasure(tx, scope, {
          contactId,
          source: 'meta_data_deletion',
        });
        erasureIds.push(erasure.id);
        await recordErasure(tx, requestId, tenantId, erasure.id);
      }
      await this.audit.recordIn(tx, scope, {
        action: 'privacy.meta_data_deletion_requested',
        actorType: 'system',
        details: { confirmationCode, contacts: contactIds.length, erasureRequestIds: erasureIds },
      });
    });
  }

  /** Keyed with the app secret: the stored hash cannot be matched against guessed ids without it. */
  private userHash(userId: string): string {
    return hmacHex('sha256', this.config.meta.appSecret, `meta-user:${userId}`);
  }
}

async function recordErasure(tx: EntityManager, requestId: string, tenantId: string, erasureId: string) {
  await tx.query(
    `INSERT INTO meta_deletion_erasures (request_id, tenant_id, privacy_request_id) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [requestId, tenantId, erasureId],
  );
}

/** Ids grouped by the business they belong to. */
function byTenant(pairs: [tenantId: string, id: string][]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [tenantId, id] of pairs) grouped.set(tenantId, [...(grouped.get(tenantId) ?? []), id]);
  return grouped;
}
