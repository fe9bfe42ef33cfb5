import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_DB_ROLE } from './db-roles.js';
import { assertUuid } from '../common/uuid.js';

export interface TenantScope {
  tenantId: string;
}

/**
 * The only door to tenant tables. Each call is one short transaction that first pins
 * `app.tenant_id` and the application role (both transaction-local), so row-level
 * security holds even if the pool connects as an owner. Keep provider calls outside it.
 */
@Injectable()
export class TenantDb {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(scope: TenantScope, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    assertUuid(scope.tenantId);
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`select set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [
        scope.tenantId,
        APP_DB_ROLE,
      ]);
      return work(tx);
    });
  }
}
