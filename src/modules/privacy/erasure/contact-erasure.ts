import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { ExportFiles } from '../requests/export-files.js';
import { bindNamed } from '../requests/named-sql.js';
import { updateReturning } from '../requests/update-returning.js';
import { erasedName, erasedRef, isErasedRef, PRIVACY_TABLES, type PrivacyTable } from '../requests/privacy-tables.js';
import { type ClaimedRequest, RequestClaims } from '../requests/request-claims.js';
import { ErasedIdentities } from './erased-identities.js';

type ErasureResult =
  | { erased: true; rows: Record<string, number>; exportsRemoved: number }
  | { erased: false; reason: 'already_erased' | 'contact_gone' };

/**
 * Erases one contact, as PRIVACY_TABLES says for each table, in one transaction: all of
 * it or none. The contact row stays, pseudonymised, because the orders and invoices the
 * business must keep point at it; the customer's channel identity is kept only as a keyed
 * hash, so when they write again they start afresh as a new contact. Erasing a contact
 * already erased changes nothing.
 */
@Injectable()
export class ContactErasure {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly claims: RequestClaims,
    private readonly identities: ErasedIdentities,
    private readonly files: ExportFiles,
    private readonly audit: AuditService,
  ) {}

  async run(claim: ClaimedRequest): Promise<void> {
    await this.tenantDb.run(claim, async (tx) => {
      await this.claims.hold(tx, claim);
      const result: ErasureResult = claim.contactId
        ? await this.erase(tx, claim, claim.contactId, claim.id)
        : { erased: false, reason: 'contact_gone' };
      await this.claims.complete(tx, claim, { result });
      await this.audit.recordIn(tx, claim, {
        action: result.erased ? 'privacy.contact_erased' : 'privacy.erasure_noop',
        target: { type: 'contact', id: claim.contactId ?? claim.id },
        details: { requestId: claim.id, ...result },
      });
    });
  }

  private async erase(
    tx: EntityManager,
    scope: TenantScope,
    contactId: string,
    requestId: string,
  ): Promise<ErasureResult> {
    const contact = await this.lockContact(tx, scope, contactId);
    if (!contact) return { erased: false, reason: 'contact_gone' };
    if (isErasedRef(contact.externalRef)) return { erased: false, reason: 'already_erased' };
    const values = {
      tenantId: scope.tenantId,
      contactId,
      channelId: contact.channelId,
      externalRef: contact.externalRef,
      erasedRef: erasedRef(contactId),
      erasedName: erasedName(contactId),
    };
    const rows: Record<string, number> = {};
    for (const table of PRIVACY_TABLES) {
      const statement = erasureStatement(table);
      if (!statement) continue;
      const [sql, params] = bindNamed(statement, values);
      const [{ n }] = await tx.query<{ n: number }[]>(sql, params);
      rows[table.table] = n;
    }
    await this.identities.record(tx, scope, contact, requestId);
    return { erased: true, rows, exportsRemoved: await this.removeExportsOf(tx, scope, contactId) };
  }

  /**
   * Takes the inbound pipeline's lock on this customer first (as its drain does), so no
   * message of theirs is being answered while they are erased, then the contact's row.
   */
  private async lockContact(
    tx: EntityManager,
    scope: TenantScope,
    contactId: string,
  ): Promise<{ channelId: string; externalRef: string } | undefined> {
    const read = async (lock: string) => {
      const [row] = await tx.query<{ channelId: string; externalRef: string }[]>(
        `SELECT channel_id AS "channelId", external_ref AS "externalRef" FROM contacts
          WHERE tenant_id = $1 AND id = $2 ${lock}`,
        [scope.tenantId, contactId],
      );
      return row;
    };
    const before = await read('');
    if (!before) return undefined;
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `inbound:${before.channelId}:${before.externalRef}`,
    ]);
    return read('FOR UPDATE');
  }

  /** Earlier exports of this contact hold what was just erased: their archives go too. */
  private async removeExportsOf(tx: EntityManager, scope: TenantScope, contactId: string): Promise<number> {
    const exports = await updateReturning<{ id: string }>(
      tx,
      `UPDATE privacy_requests SET status = 'expired'
        WHERE tenant_id = $1 AND type = 'export' AND contact_id = $2 AND status = 'done'
        RETURNING id`,
      [scope.tenantId, contactId],
    );
    for (const { id } of exports) await this.files.remove(scope.tenantId, id);
    return exports.length;
  }
}

/** The statement that applies a table's erasure rule, counting the rows it touched; null when it has none. */
function erasureStatement({ table, erasure }: PrivacyTable): string | null {
  switch (erasure.action) {
    case 'delete':
      return `WITH done AS (DELETE FROM ${table} t WHERE t.tenant_id = :tenantId AND (${erasure.where}) RETURNING 1)
              SELECT count(*)::int AS n FROM done`;
    case 'pseudonymise':
      return `WITH done AS (UPDATE ${table} t SET ${erasure.set} WHERE t.tenant_id = :tenantId AND (${erasure.where}) RETURNING 1)
              SELECT count(*)::int AS n FROM done`;
    case 'removed_with':
    case 'keep':
      return null;
  }
}
