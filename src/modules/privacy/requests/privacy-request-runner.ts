import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../../common/errors/app-error.js';
import { AppConfig } from '../../../config/app-config.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { ContactErasure } from '../erasure/contact-erasure.js';
import { DataExport } from '../export/data-export.js';
import { ExportFiles } from './export-files.js';
import { isErasedRef } from './privacy-tables.js';
import type { PrivacyRequestJob } from './privacy.queue.js';
import { type ClaimedRequest, LostClaim, RequestClaims } from './request-claims.js';

// Progress is written when it moves, or at least this often as the run's heartbeat.
const HEARTBEAT_MS = 2_000;
// Errors another run would meet again: the request fails at once.
const PERMANENT = new Set(['contact_erased']);

/** Told the progress (0–100) as it moves, for the job's own progress. */
export type JobProgress = (percent: number) => Promise<void>;

/**
 * Runs one privacy request: claims it, does the export or erasure, and finishes it. Any
 * run may be a re-run of one that died; an export then starts again from scratch.
 */
@Injectable()
export class PrivacyRequestRunner {
  private readonly logger = new Logger(PrivacyRequestRunner.name);

  constructor(
    private readonly claims: RequestClaims,
    private readonly exporter: DataExport,
    private readonly erasure: ContactErasure,
    private readonly files: ExportFiles,
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Throws when the run failed and the request was queued again, so the job retries. */
  async run(job: PrivacyRequestJob, jobProgress: JobProgress): Promise<void> {
    const claim = await this.claims.claim({ tenantId: job.tenantId }, job.requestId);
    if (!claim) return;
    try {
      if (claim.type === 'export') await this.export(claim, jobProgress);
      else await this.erasure.run(claim);
      await jobProgress(100);
    } catch (error) {
      if (error instanceof LostClaim) return;
      const code = error instanceof AppError ? error.code : 'internal_error';
      this.logger.warn({ err: error, tenantId: claim.tenantId, requestId: claim.id }, 'privacy request run failed');
      const outcome = await this.claims.giveBack(
        claim,
        code,
        () => (claim.type === 'export' ? this.exporter.discard(claim.tenantId, claim.id) : Promise.resolve()),
        { final: PERMANENT.has(code) },
      );
      if (outcome === 'queued') throw error;
    }
  }

  private async export(claim: ClaimedRequest, jobProgress: JobProgress): Promise<void> {
    let reported = { percent: 0, at: Date.now() };
    const progress = async (share: number) => {
      // 100 is for the archive in place: until then a run is at most 99% done.
      const percent = Math.min(99, Math.floor(share * 100));
      if (percent === reported.percent && Date.now() - reported.at < HEARTBEAT_MS) return;
      reported = { percent, at: Date.now() };
      await this.claims.heartbeat(claim, percent);
      await jobProgress(percent);
    };
    const subject = { tenantId: claim.tenantId, contactId: claim.contactId ?? undefined };
    if (claim.contactId) await this.tenantDb.run(claim, (tx) => this.refuseIfErased(tx, claim));
    const archive = await this.exporter.write(claim.id, subject, progress);
    // Publishing and marking done happen under the request's lock, so a run that lost its
    // claim meanwhile cannot rename another run's file, and the archive is offered only
    // once it is whole and in place.
    await this.tenantDb.run(claim, async (tx) => {
      await this.claims.hold(tx, claim);
      await this.refuseIfErased(tx, claim);
      await this.files.publish(claim.tenantId, claim.id);
      await this.claims.complete(tx, claim, {
        result: { rows: archive.rows, files: archive.files },
        archiveBytes: archive.bytes,
        expiresAt: new Date(Date.now() + this.config.privacy.exportLinkTtlSeconds * 1000),
      });
      await this.audit.recordIn(tx, claim, {
        action: 'privacy.export_completed',
        target: { type: 'privacy_request', id: claim.id },
        details: {
          subject: claim.contactId ? 'contact' : 'tenant',
          bytes: archive.bytes,
          rows: archive.rows,
          files: archive.files,
        },
      });
    });
  }

  /**
   * An erased contact has nothing left to export, and an archive written while they were
   * being erased holds what was erased: neither is offered.
   */
  private async refuseIfErased(tx: EntityManager, claim: ClaimedRequest): Promise<void> {
    if (!claim.contactId) return;
    const [contact] = await tx.query<{ externalRef: string }[]>(
      `SELECT external_ref AS "externalRef" FROM contacts WHERE tenant_id = $1 AND id = $2`,
      [claim.tenantId, claim.contactId],
    );
    if (!contact || isErasedRef(contact.externalRef))
      throw new AppError('conflict', 'contact_erased', 'The contact was erased');
  }
}
