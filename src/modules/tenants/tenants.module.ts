import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { Membership } from './entities/membership.entity.js';
import { Tenant } from './entities/tenant.entity.js';
import { MembershipsService } from './memberships.service.js';
import { PendingDeletionGate } from './pending-deletion.gate.js';
import { TenantLifecycle } from './tenant-lifecycle.service.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsService } from './tenants.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Tenant, Membership]), AuditModule],
  controllers: [TenantsController],
  providers: [
    TenantsService,
    MembershipsService,
    TenantLifecycle,
    { provide: APP_INTERCEPTOR, useClass: PendingDeletionGate },
  ],
  exports: [TenantsService, MembershipsService, TenantLifecycle],
})
export class TenantsModule {}
