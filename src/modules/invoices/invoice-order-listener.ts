import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../database/tenant-db.js';
import { OrderEvents, type OrderEvent } from '../commerce/orders/order-events.js';
import { CustomerNotifications } from '../notifications/customer/customer-notifications.service.js';
import { InvoicesService } from './invoices.service.js';

/**
 * Keeps invoices in step with their orders, inside the order's own transaction: a
 * confirmation and its invoice number commit together or not at all.
 */
@Injectable()
export class InvoiceOrderListener implements OnModuleInit {
  constructor(
    private readonly events: OrderEvents,
    private readonly invoices: InvoicesService,
    private readonly notifications: CustomerNotifications,
  ) {}

  onModuleInit(): void {
    this.events.subscribe((tx, scope, event) => this.heard(tx, scope, event));
  }

  private async heard(tx: EntityManager, scope: TenantScope, event: OrderEvent): Promise<void> {
    if (event.type !== 'status_changed') return;
    if (event.to === 'confirmed') {
      const invoice = await this.invoices.issueFor(tx, scope, event.orderId);
      // A confirmation by payment is announced by payments, with the paid invoice.
      if (event.reason === 'payment') return;
      await this.notifications.record(tx, scope, {
        orderId: event.orderId,
        kind: 'order_confirmed',
        invoice: this.invoices.attachmentFor(scope, invoice),
      });
    } else if (event.to === 'cancelled') {
      await this.invoices.voidFor(tx, scope, event.orderId);
    }
  }
}
