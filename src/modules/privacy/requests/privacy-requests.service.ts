import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { decodeKeyset, Page, pageSize, PageQuery, positionOf, toKeysetPage } from '../../../common/http/pagination.js';
import { isUuid } from '../../../common/uuid.js';
import { AppConfig } from '../../../config/app-config.js';
import { afterCommit, TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import type { CreatePrivacyRequestDto } from './dto/create-privacy-request.dto.js';
import { ExportLinkSigner } from './export-link-signer.js';
import {
  PRIVACY_REQUEST_COLUMNS,
  type PrivacyRequestRow,
  type PrivacyRequestSource,
  type PrivacyRequestType,
  type PrivacyRequestView,
  toPrivacyRequestView,
} from './privacy-request.views.js';
import { PrivacyErrors } from './privacy-requests.errors.js';
import { isErasedRef } from './privacy-tables.js';
import { PrivacyQueue } from './privacy.queue.js';

export type ErasureSource = Extract<PrivacyRequestSource, 'staff' | 'meta_data_deletion'>;

interface NewRequest {
  type: PrivacyRequestType;
  contactId?: string;
  source: PrivacyRequestSource;
  requestedBy?: string;
  origin?: RequestOrigin;
}

/** Export and erasure requests: opening them (the work runs on the `privacy` queue) and reading them. */
@Injectable()
export class PrivacyRequests {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    private readonly queue: PrivacyQueue,
    private readonly links: ExportLinkSigner,
    private readonly config: AppConfig,
  ) {}

  /** An owner's or admin's request. Asking again while the same one is open returns that one. */
  create(ctx: TenantContext, dto: CreatePrivacyRequestDto, origin: RequestOrigin): Promise<PrivacyRequestView> {
    if (dto.type === 'erasure' && !dto.contactId) throw PrivacyErrors.contactRequired();
    return this.tenantDb.run(ctx, async (tx) => {
      const id = await this.open(tx, ctx, {
        type: dto.type,
        contactId: dto.contactId,
        source: 'staff',
        requestedBy: ctx.userId,
        origin,
      });
      return this.get(tx, ctx, id);
    });
  }

  /**
   * Schedules the erasure of one contact, in the caller's tenant transaction (the job is
   * enqueued after it commits); returns the request (an open one is reused).
   */
  async scheduleErasure(
    tx: EntityManager,
    scope: TenantScope,
    request: { contactId: string; source: ErasureSource; requestedBy?: string },
  ): Promise<{ id: string }> {
    return { id: await this.open(tx, scope, { type: 'erasure', ...request }) };
  }

  /** Newest first. */
  list(ctx: TenantContext, query: PageQuery): Promise<Page<PrivacyRequestView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    return this.tenantDb.run(ctx, async (tx) => {
      const rows = await tx.query<(PrivacyRequestRow & { position: string })[]>(
        `SELECT ${PRIVACY_REQUEST_COLUMNS}, ${positionOf('r.created_at')} AS position
           FROM privacy_requests r
          WHERE r.tenant_id = $1
            AND ($2::timestamptz IS NULL OR (r.created_at, r.id) < ($2::timestamptz, $3::uuid))
          ORDER BY r.created_at DESC, r.id DESC LIMIT $4`,
        [ctx.tenantId, after?.at ?? null, after?.id ?? null, limit + 1],
      );
      return toKeysetPage(rows, limit, (row) => this.view(ctx, row));
    });
  }

  read(ctx: TenantContext, requestId: string): Promise<PrivacyRequestView> {
    return this.tenantDb.run(ctx, (tx) => this.get(tx, ctx, requestId));
  }

  private async get(tx: EntityManager, scope: TenantScope, requestId: string): Promise<PrivacyRequestView> {
    if (!isUuid(requestId)) throw PrivacyErrors.notFound();
    const [row] = await tx.query<PrivacyRequestRow[]>(
      `SELECT ${PRIVACY_REQUEST_COLUMNS} FROM privacy_requests r WHERE r.tenant_id = $1 AND r.id = $2`,
      [scope.tenantId, requestId],
    );
    if (!row) throw PrivacyErrors.notFound();
    return this.view(scope, row);
  }

  private async open(tx: EntityManager, scope: TenantScope, request: NewRequest): Promise<string> {
    if (request.contactId) {
      const contact = await this.findContact(tx, scope, request.contactId);
      // Erasing an erased contact again is a harmless no-op; exporting one is pointless.
      if (request.type === 'export' && isErasedRef(contact.externalRef)) throw PrivacyErrors.contactErased();
    }
    const subject = request.contactId ? 'contact' : 'tenant';
    // Two tries: an open request found to conflict may finish before it is read back.
    for (let tries = 0; tries < 2; tries++) {
      const [created] = await tx.query<{ id: string }[]>(
        `INSERT INTO privacy_requests (tenant_id, type, subject, contact_id, source, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, type, subject, contact_id) WHERE status IN ('queued', 'running') DO NOTHING
         RETURNING id`,
        [scope.tenantId, request.type, subject, request.contactId ?? null, request.source, request.requestedBy ?? null],
      );
      const [open] = created
        ? [created]
        : await tx.query<{ id: string }[]>(
            `SELECT id FROM privacy_requests
              WHERE tenant_id = $1 AND type = $2 AND subject = $3 AND contact_id IS NOT DISTINCT FROM $4
                AND status IN ('queued', 'running')`,
            [scope.tenantId, request.type, subject, request.contactId ?? null],
          );
      if (!open) continue;
      await this.audit.recordIn(tx, scope, {
        action: 'privacy.requested',
        actorUserId: request.requestedBy ?? null,
        target: { type: 'privacy_request', id: open.id },
        origin: request.origin,
        details: {
          type: request.type,
          subject,
          contactId: request.contactId ?? null,
          source: request.source,
          reusedOpenRequest: !created,
        },
      });
      if (created) afterCommit(tx, () => this.queue.request({ tenantId: scope.tenantId, requestId: open.id }));
      return open.id;
    }
    throw new Error('A privacy request conflicted twice with an open one');
  }

  private async findContact(
    tx: EntityManager,
    scope: TenantScope,
    contactId: string,
  ): Promise<{ externalRef: string }> {
    const [contact] = isUuid(contactId)
      ? await tx.query<{ externalRef: string }[]>(
          `SELECT external_ref AS "externalRef" FROM contacts WHERE tenant_id = $1 AND id = $2`,
          [scope.tenantId, contactId],
        )
      : [];
    if (!contact) throw PrivacyErrors.contactNotFound();
    return contact;
  }

  private view(scope: TenantScope, row: PrivacyRequestRow): PrivacyRequestView {
    return toPrivacyRequestView(row, this.downloadUrl(scope, row));
  }

  /** Signed to expire with the archive; each read signs it anew, to the same expiry. */
  private downloadUrl(scope: TenantScope, row: PrivacyRequestRow): string | null {
    if (row.type !== 'export' || row.status !== 'done' || !row.expiresAt) return null;
    const token = this.links.sign({ tenantId: scope.tenantId, requestId: row.id }, row.expiresAt);
    return `${this.config.http.publicBaseUrl}/v1/tenants/${scope.tenantId}/privacy-requests/${row.id}/download?token=${token}`;
  }
}
