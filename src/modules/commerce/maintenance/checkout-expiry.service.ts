import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { asSweeper } from '../../../database/periodic-sweep.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { OrdersService } from '../orders/orders.service.js';

// Checkouts read per query; a run pages through every one that is due.
const PAGE = 200;

interface DueCheckout {
  tenantId: string;
  id: string;
  expiresAt: string;
}

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
    // Paged past what it skips: checkouts held open (a payment on its way) or failing must
    // not stall the ones behind them.
    for (let after: DueCheckout | undefined, page: DueCheckout[]; ; after = page.at(-1)) {
      page = await this.findDue(after);
      for (const due of page) if (await this.expire(due)) expired++;
      if (page.length < PAGE) break;
    }
    if (expired) this.logger.log({ expired }, 'expired unpaid checkouts');
    return expired;
  }

  private async expire(due: DueCheckout): Promise<boolean> {
    const scope = { tenantId: due.tenantId };
    try {
      return await this.tenantDb.run(scope, (tx) => this.orders.expireIfDue(tx, scope, due.id));
    } catch (error) {
      this.logger.warn({ err: error, tenantId: due.tenantId, orderId: due.id }, 'checkout expiry failed');
      return false;
    }
  }

  /** A suspended business's checkouts wait with the rest of its work. */
  private findDue(after: DueCheckout | undefined): Promise<DueCheckout[]> {
    return asSweeper(this.dataSource, (tx) =>
      tx.query<DueCheckout[]>(
        `SELECT o.tenant_id AS "tenantId", o.id, o.expires_at::text AS "expiresAt"
           FROM orders o JOIN tenants t ON t.id = o.tenant_id AND t.status = 'active'
          WHERE o.status = 'pending_confirmation' AND o.payment_status <> 'paid' AND o.expires_at < now()
            AND ($1::timestamptz IS NULL OR (o.expires_at, o.id) > ($1::timestamptz, $2::uuid))
          ORDER BY o.expires_at, o.id LIMIT $3`,
        [after?.expiresAt ?? null, after?.id ?? null, PAGE],
      ),
    );
  }
}
