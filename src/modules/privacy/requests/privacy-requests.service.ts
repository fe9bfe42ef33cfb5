import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';

export type ErasureSource = 'staff' | 'meta_data_deletion';

/**
 * CONTRACT (to be implemented by the privacy-requests work). Runs in the caller's tenant
 * transaction; the job is enqueued after commit.
 */
@Injectable()
export class PrivacyRequests {
  /** Schedules the erasure of one contact; returns the request (an open one is reused). */
  async scheduleErasure(
    _tx: EntityManager,
    _scope: TenantScope,
    _request: { contactId: string; source: ErasureSource; requestedBy?: string },
  ): Promise<{ id: string }> {
    throw new Error('not implemented');
  }
}
