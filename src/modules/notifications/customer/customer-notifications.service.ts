import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';
import type { CustomerNotice } from './customer-notification.js';

/**
 * CONTRACT (to be implemented by the notifications work): records a notice in the caller's
 * tenant transaction — at most once per (order, key) — and queues its delivery after commit.
 * Returns false when that notice was already recorded.
 */
@Injectable()
export class CustomerNotifications {
  async record(_tx: EntityManager, _scope: TenantScope, _notice: CustomerNotice): Promise<boolean> {
    throw new Error('CustomerNotifications.record is not implemented yet');
  }
}
