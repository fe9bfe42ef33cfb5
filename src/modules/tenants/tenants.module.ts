import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { Membership } from './entities/membership.entity.js';
import { Tenant } from './entities/tenant.entity.js';
import { MembershipsService } from './memberships.service.js';
import { TenantLifecycle } from './tenant-lifecycle.service.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsService } from './tenants.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Tenant, Membership]), AuditModule],
  controllers: [TenantsController],
  providers: [TenantsService, MembershipsService, TenantLifecycle],
  exports: [TenantsService, MembershipsService, TenantLifecycle],
})
export class TenantsModule {}
