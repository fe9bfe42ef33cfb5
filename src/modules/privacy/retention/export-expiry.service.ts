import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { asSweeper } from '../../../database/periodic-sweep.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { ExportFiles } from '../requests/export-files.js';
import { updateReturning } from '../requests/update-returning.js';

const PAGE = 200;

/**
 * Removes export archives whose time is up (their links stopped working then) and marks
 * their requests `expired`. Found across tenants as `hawker_sweeper`, each removed in its
 * tenant's own transaction; the file goes before the commit, so a failed removal leaves
 * the request to be tried again on the next run.
 */
@Injectable()
export class ExportExpiry {
  private readonly logger = new Logger(ExportExpiry.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly files: ExportFiles,
    private readonly audit: AuditService,
  ) {}

  async purgeExpired(): Promise<number> {
    let purged = 0;
    for (let page = await this.findExpired(); ; page = await this.findExpired()) {
      let progressed = false;
      for (const request of page) {
        if (await this.purge(request)) {
          purged++;
          progressed = true;
        }
      }
      // A page of nothing but failures would come back the same: stop until the next run.
      if (page.length < PAGE || !progressed) break;
    }
    if (purged) this.logger.log({ purged }, 'removed expired export archives');
    return purged;
  }

  private async purge(request: { id: string; tenantId: string }): Promise<boolean> {
    try {
      return await this.tenantDb.run(request, async (tx) => {
        const [expired] = await updateReturning<{ id: string }>(
          tx,
          `UPDATE privacy_requests SET status = 'expired'
            WHERE tenant_id = $1 AND id = $2 AND status = 'done' AND expires_at < now() RETURNING id`,
          [request.tenantId, request.id],
        );
        if (!expired) return false;
        await this.files.remove(request.tenantId, request.id);
        await this.audit.recordIn(tx, request, {
          action: 'privacy.export_expired',
          target: { type: 'privacy_request', id: request.id },
        });
        return true;
      });
    } catch (error) {
      this.logger.warn({ err: error, tenantId: request.tenantId, requestId: request.id }, 'export expiry failed');
      return false;
    }
  }

  private findExpired(): Promise<{ id: string; tenantId: string }[]> {
    return asSweeper(this.dataSource, async (tx) => {
      return tx.query<{ id: string; tenantId: string }[]>(
        `SELECT id, tenant_id AS "tenantId" FROM privacy_requests
          WHERE status = 'done' AND expires_at < now() ORDER BY expires_at, id LIMIT $1`,
        [PAGE],
      );
    });
  }
}
