import { Module } from '@nestjs/common';
import { CommerceModule } from '../commerce/commerce.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { InvoiceExportContributor } from './invoice-export.contributor.js';
import { InvoiceLinkSigner } from './invoice-link-signer.js';
import { InvoiceOrderListener } from './invoice-order-listener.js';
import { InvoicesController } from './invoices.controller.js';
import { InvoicesService } from './invoices.service.js';
import { PublicInvoicesController } from './public-invoices.controller.js';
import { PublicInvoicesService } from './public-invoices.service.js';
import { StaffInvoicesService } from './staff-invoices.service.js';

/** Invoices: gapless numbers, PDFs, the staff API and signed public links. */
@Module({
  imports: [CommerceModule, NotificationsModule],
  controllers: [InvoicesController, PublicInvoicesController],
  providers: [
    InvoicesService,
    InvoiceLinkSigner,
    InvoiceOrderListener,
    StaffInvoicesService,
    PublicInvoicesService,
    InvoiceExportContributor,
  ],
  exports: [InvoicesService],
})
export class InvoicesModule {}
