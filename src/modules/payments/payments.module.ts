import { Module } from '@nestjs/common';
import { CommerceModule } from '../commerce/commerce.module.js';
import { InvoicesModule } from '../invoices/invoices.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';

/** Payment settings, Paystack and manual transfers, transactions and payment webhooks. */
@Module({
  imports: [CommerceModule, InvoicesModule, NotificationsModule],
})
export class PaymentsModule {}
