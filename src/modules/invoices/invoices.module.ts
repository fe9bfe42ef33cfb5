import { Module } from '@nestjs/common';
import { CommerceModule } from '../commerce/commerce.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { InvoicesService } from './invoices.service.js';

/** Invoices: gapless numbers, PDFs, the staff API and signed public links. */
@Module({
  imports: [CommerceModule, NotificationsModule],
  providers: [InvoicesService],
  exports: [InvoicesService],
})
export class InvoicesModule {}
