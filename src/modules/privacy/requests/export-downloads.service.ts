import { Injectable } from '@nestjs/common';
import type { ReadStream } from 'node:fs';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { isUuid } from '../../../common/uuid.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { ExportFiles } from './export-files.js';
import { ExportLinkSigner } from './export-link-signer.js';
import type { PrivacyRequestStatus } from './privacy-request.views.js';
import { PrivacyErrors } from './privacy-requests.errors.js';

export interface ExportDownload {
  filename: string;
  stream: ReadStream;
  size: number;
}

/**
 * A finished export, to an owner or admin of its business who also holds its signed,
 * unexpired link. Every download is audited with who and from where.
 */
@Injectable()
export class ExportDownloads {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly files: ExportFiles,
    private readonly links: ExportLinkSigner,
    private readonly audit: AuditService,
  ) {}

  async open(ctx: TenantContext, requestId: string, token: string, origin: RequestOrigin): Promise<ExportDownload> {
    if (!isUuid(requestId)) throw PrivacyErrors.notFound();
    // The token first: a forged one is `not_found` whatever it names.
    const claims = this.links.verify(token);
    if (claims.tenantId !== ctx.tenantId || claims.requestId !== requestId) throw PrivacyErrors.notFound();
    let download: ExportDownload | undefined;
    try {
      return await this.tenantDb.run(ctx, async (tx) => {
        const [request] = await tx.query<{ status: PrivacyRequestStatus; expiresAt: Date | null }[]>(
          `SELECT status, expires_at AS "expiresAt" FROM privacy_requests
            WHERE tenant_id = $1 AND id = $2 AND type = 'export'`,
          [ctx.tenantId, requestId],
        );
        if (!request) throw PrivacyErrors.notFound();
        if (request.status === 'expired' || (request.expiresAt && request.expiresAt.getTime() <= Date.now()))
          throw PrivacyErrors.archiveExpired();
        if (request.status !== 'done') throw PrivacyErrors.notFound();
        const archive = await this.files.openArchive(ctx.tenantId, requestId);
        if (!archive) throw PrivacyErrors.archiveExpired();
        download = { filename: `hawker-export-${requestId}.zip`, ...archive };
        await this.audit.recordIn(tx, ctx, {
          action: 'privacy.export_downloaded',
          actorUserId: ctx.userId,
          target: { type: 'privacy_request', id: requestId },
          origin,
          details: { bytes: archive.size },
        });
        return download;
      });
    } catch (error) {
      download?.stream.destroy();
      throw error;
    }
  }
}
