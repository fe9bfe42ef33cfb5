import { Module } from '@nestjs/common';

/** Deleting a business after a grace period, and restoring it during it. */
@Module({})
export class TenantDeletionModule {}
