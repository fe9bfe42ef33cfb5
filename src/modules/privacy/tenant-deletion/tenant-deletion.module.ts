import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module.js';
import { AuthModule } from '../../auth/auth.module.js';
import { ChannelConnectionsModule } from '../../channels/connections/channel-connections.module.js';
import { TenantsModule } from '../../tenants/tenants.module.js';
import { OwnerPassword } from './owner-password.js';
import { TenantDeletionController } from './tenant-deletion.controller.js';
import { TenantDeletionService } from './tenant-deletion.service.js';

/** Deleting a business after a grace period, and restoring it during it. */
@Module({
  imports: [TenantsModule, AuthModule, AuditModule, ChannelConnectionsModule],
  controllers: [TenantDeletionController],
  providers: [TenantDeletionService, OwnerPassword],
})
export class TenantDeletionModule {}
