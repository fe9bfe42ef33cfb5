import { Module } from '@nestjs/common';
import { TenantsModule } from '../../tenants/tenants.module.js';
import { PrivacyRequestsModule } from '../requests/privacy-requests.module.js';
import { TenantPurgeProcessor } from './tenant-purge.processor.js';
import { TenantPurgeSchedule } from './tenant-purge.schedule.js';
import { TenantPurge } from './tenant-purge.service.js';

/** The purge of deleted businesses on the maintenance schedule: loaded only where APP_ROLE runs workers. */
@Module({
  imports: [TenantsModule, PrivacyRequestsModule],
  providers: [TenantPurge, TenantPurgeSchedule, TenantPurgeProcessor],
})
export class TenantDeletionWorkerModule {}
