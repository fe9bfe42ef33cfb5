import { Injectable, Logger } from '@nestjs/common';
import { TenantLifecycle } from '../../tenants/tenant-lifecycle.service.js';
import { ExportFiles } from '../requests/export-files.js';

// Businesses purged per run: each is one transaction, and the next run takes the rest.
const PER_RUN = 20;

/**
 * Removes businesses whose grace period has passed: their stored files, then every row
 * they own. Files go first: a run that fails in between leaves the business due, so the
 * next run finishes it, whereas rows deleted first would leave files nobody looks for.
 */
@Injectable()
export class TenantPurge {
  private readonly logger = new Logger(TenantPurge.name);

  constructor(
    private readonly lifecycle: TenantLifecycle,
    private readonly files: ExportFiles,
  ) {}

  async purgeDue(): Promise<{ purged: number }> {
    let purged = 0;
    for (const tenantId of await this.lifecycle.dueForPurge(PER_RUN)) {
      try {
        await this.files.removeTenant(tenantId);
        if (!(await this.lifecycle.purge(tenantId))) continue;
        // Again: an export that was still running may have written after the first pass.
        await this.files.removeTenant(tenantId);
        // Its audit log went with it: this line is the platform's record of the purge.
        this.logger.log({ tenantId }, 'business purged after its deletion grace period');
        purged++;
      } catch (error) {
        this.logger.error({ err: error, tenantId }, 'business purge failed; retrying on the next run');
      }
    }
    return { purged };
  }
}
