import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { asSweeper, PeriodicSweep } from '../../../database/periodic-sweep.js';
import { CustomerNotificationQueue } from './customer-notification.queue.js';
import { FALLBACK_WATCH_SECONDS, WINDOW_REFUSED_CODES } from './customer-notification.rows.js';

// Younger rows are still on their way through the queue; leave them be.
const STALE_AFTER_SECONDS = 10;
/**
 * How far back pending rows are swept, as the `sweeper_unsettled` policy allows. A row
 * older than that (its business was suspended for longer) goes out with the order's next
 * notification instead: a day-old update is not worth a job of its own.
 */
const PENDING_HORIZON_SECONDS = 24 * 3600;
const BATCH = 500;
/** At most one sweep job per order in this time: each runs up to the queue's attempts. */
const RESWEEP_WINDOW_MS = 30_000;

interface OrderRef {
  tenant_id: string;
  order_id: string;
}

/**
 * Re-enqueues orders whose notifications no job will deliver (Redis was away at commit,
 * or a job failed for good), and orders with a free-form WhatsApp notification that Meta
 * refused for the closed window, so that their job falls back to the template. A pass
 * returns how many orders it re-enqueued.
 */
@Injectable()
export class CustomerNotificationSweeper extends PeriodicSweep<number> {
  protected readonly intervalMs: number;
  protected readonly nothing = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: CustomerNotificationQueue,
    config: AppConfig,
  ) {
    super();
    this.intervalMs = config.maintenance.intervalMs;
  }

  protected async pass(): Promise<number> {
    const orders = await this.findOrders();
    // A fresh job id per sweep window: Bull ignores an id it still holds, and one that
    // failed for good keeps it, so re-using it forever would never retry the order, and a
    // new id every sweep would pile up jobs. A notification that keeps failing is given
    // up after a few attempts (CustomerNotificationDelivery), so this ends.
    const window = `sweep:${Math.floor(Date.now() / RESWEEP_WINDOW_MS)}`;
    for (const order of orders)
      await this.queue.enqueue({ tenantId: order.tenant_id, orderId: order.order_id }, window);
    if (orders.length) this.logger.log({ orders: orders.length }, 're-enqueued customer notifications');
    return orders.length;
  }

  /**
   * Runs as hawker_sweeper, which sees only the last day's unsettled notifications and
   * refused messages; the queries ask for no more than that, so the policies hide nothing
   * they need.
   */
  private findOrders(): Promise<OrderRef[]> {
    return asSweeper(this.dataSource, async (tx) => {
      const pending = await tx.query<OrderRef[]>(
        `SELECT DISTINCT n.tenant_id, n.order_id FROM customer_notifications n
           JOIN tenants t ON t.id = n.tenant_id AND t.status = 'active'
          WHERE n.status = 'pending' AND n.created_at < now() - make_interval(secs => $1)
            AND n.created_at > now() - make_interval(secs => $2)
          LIMIT $3`,
        [STALE_AFTER_SECONDS, PENDING_HORIZON_SECONDS, BATCH],
      );
      const refused = await tx.query<OrderRef[]>(
        `SELECT DISTINCT n.tenant_id, n.order_id FROM customer_notifications n
           JOIN tenants t ON t.id = n.tenant_id AND t.status = 'active'
           JOIN messages m ON m.tenant_id = n.tenant_id AND m.id = n.message_id
          WHERE n.status = 'sent' AND n.channel = 'whatsapp' AND n.delivered_as <> 'template' AND n.fell_back_at IS NULL
            AND n.settled_at > now() - make_interval(secs => $1)
            AND m.delivery_status = 'failed' AND m.error_code = ANY($2::text[])
          LIMIT $3`,
        [FALLBACK_WATCH_SECONDS, WINDOW_REFUSED_CODES, BATCH],
      );
      const unique = new Map([...pending, ...refused].map((row) => [`${row.tenant_id}:${row.order_id}`, row]));
      return [...unique.values()];
    });
  }
}
