import { Process, Processor } from '@nestjs/bull';
import { Queues } from '../../../queues/queue-names.js';
import { PURGE_DELETED_TENANTS_JOB } from './tenant-purge.schedule.js';
import { TenantPurge } from './tenant-purge.service.js';

@Processor(Queues.maintenance)
export class TenantPurgeProcessor {
  constructor(private readonly purge: TenantPurge) {}

  @Process(PURGE_DELETED_TENANTS_JOB)
  purgeDeletedTenants(): Promise<{ purged: number }> {
    return this.purge.purgeDue();
  }
}
