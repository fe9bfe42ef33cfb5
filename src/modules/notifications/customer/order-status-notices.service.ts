import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';
import { type OrderEvent, OrderEvents } from '../../commerce/orders/order-events.js';
import { CustomerNotifications } from './customer-notifications.service.js';
import { noticeKindFor } from './order-status-notice.js';

/** Hears order changes inside their transaction and records the customer's notification with them. */
@Injectable()
export class OrderStatusNotices implements OnModuleInit {
  constructor(
    private readonly events: OrderEvents,
    private readonly notifications: CustomerNotifications,
  ) {}

  onModuleInit(): void {
    this.events.subscribe((tx, scope, event) => this.onOrderEvent(tx, scope, event));
  }

  async onOrderEvent(tx: EntityManager, scope: TenantScope, event: OrderEvent): Promise<void> {
    const kind = noticeKindFor(event);
    if (kind) await this.notifications.record(tx, scope, { orderId: event.orderId, kind });
  }
}
