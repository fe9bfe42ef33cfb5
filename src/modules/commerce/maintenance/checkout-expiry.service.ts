import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SWEEPER_DB_ROLE } from '../../../database/db-roles.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { OrdersService } from '../orders/orders.service.js';

// Per run; the next run takes the rest.
const BATCH = 200;

/**
 * Cancels unpaid checkouts past their expiry: stock goes back on the shelf and the
 * customer is told (the notifications module hears the `expired` cancellation). Finds
 * them across tenants as `hawker_sweeper`, then cancels each in its tenant's own
 * transaction, re-checked under the order's lock: a payment that landed meanwhile wins.
 */
@Injectable()
export class CheckoutExpiry {
  private readonly logger = new Logger(CheckoutExpiry.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly orders: OrdersService,
  ) {}

  async expireDue(): Promise<number> {
    let expired = 0;
    for (const due of await this.findDue()) {
      const scope = { tenantId: due.tenantId };
      try {
        if (await this.tenantDb.run(scope, (tx) => this.orders.expireIfDue(tx, scope, due.id))) expired++;
      } catch (error) {
        this.logger.warn({ err: error, tenantId: due.tenantId, orderId: due.id }, 'checkout expiry failed');
      }
    }
    if (expired) this.logger.log({ expired }, 'expired unpaid checkouts');
    return expired;
  }

  private findDue(): Promise<{ tenantId: string; id: string }[]> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true)`, [SWEEPER_DB_ROLE]);
      return tx.query<{ tenantId: string; id: string }[]>(
        `SELECT tenant_id AS "tenantId", id FROM orders
          WHERE status = 'pending_confirmation' AND expires_at < now()
          ORDER BY expires_at LIMIT $1`,
        [BATCH],
      );
    });
  }
}
