import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AdminController } from './admin.controller.js';
import { QueueInspectorService } from './queue-inspector.service.js';

@Module({
  imports: [TenantsModule, AuditModule],
  controllers: [AdminController],
  providers: [QueueInspectorService],
})
export class AdminModule {}
