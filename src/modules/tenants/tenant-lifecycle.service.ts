import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_DB_ROLE } from '../../database/db-roles.js';
import { TenantErrors } from './tenants.errors.js';

export interface ScheduledDeletion {
  requestedAt: Date;
  dueAt: Date;
}

/**
 * A business's deletion: scheduled by its owner, restorable during the grace period, then
 * purged. The `tenants` row is the platform's, so its state changes only here.
 */
@Injectable()
export class TenantLifecycle {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Puts an active business into `pending_deletion`, due after `graceDays`, in the caller's
   * transaction (which disconnects its channels with it).
   */
  async scheduleDeletion(
    tx: EntityManager,
    tenantId: string,
    userId: string,
    graceDays: number,
  ): Promise<ScheduledDeletion> {
    // UPDATE … RETURNING answers [rows, count] through TypeORM.
    const [[row]] = await tx.query<[{ requested_at: Date; due_at: Date }[], number]>(
      `UPDATE tenants SET status = 'pending_deletion', deletion_requested_at = now(), deletion_requested_by = $2,
              deletion_due_at = now() + make_interval(days => $3)
        WHERE id = $1 AND status = 'active'
        RETURNING deletion_requested_at AS requested_at, deletion_due_at AS due_at`,
      [tenantId, userId, graceDays],
    );
    if (!row) throw TenantErrors.notActive();
    return { requestedAt: row.requested_at, dueAt: row.due_at };
  }

  /** Cancels a scheduled deletion while its grace period runs; refused once it has passed. */
  async restore(tx: EntityManager, tenantId: string): Promise<void> {
    const [, restored] = await tx.query<[unknown[], number]>(
      `UPDATE tenants SET status = 'active', deletion_requested_at = NULL, deletion_requested_by = NULL,
              deletion_due_at = NULL
        WHERE id = $1 AND status = 'pending_deletion' AND deletion_due_at > now()`,
      [tenantId],
    );
    if (restored === 0) throw TenantErrors.notPendingDeletion();
  }

  /** Businesses whose grace period has passed, oldest first. */
  async dueForPurge(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM tenants WHERE status = 'pending_deletion' AND deletion_due_at <= now()
        ORDER BY deletion_due_at, id LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Deletes the business and every row it owns, in one transaction, through `purge_tenant`
   * (migration 1763800001600): it empties every table with a `tenant_id` column in an order
   * the foreign keys accept, as the tables' owner, since the application may delete from no
   * append-only table. Platform users stay; their memberships go. Returns false when the
   * business is no longer due (restored, or purged by another worker).
   */
  async purge(tenantId: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true)`, [APP_DB_ROLE]);
      const [{ purged }] = await tx.query<{ purged: boolean }[]>(`SELECT purge_tenant($1) AS purged`, [tenantId]);
      return purged;
    });
  }
}
