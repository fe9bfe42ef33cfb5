import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CommerceModule } from '../commerce/commerce.module.js';
import { InvoicesModule } from '../invoices/invoices.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PaymentLedger } from './ledger/payment-ledger.service.js';
import { OrderPaymentsController } from './manual/order-payments.controller.js';
import { OrderPaymentsService } from './manual/order-payments.service.js';
import { PaymentCheckoutHold } from './payment-checkout-hold.js';
import { PaymentsQueue } from './payments.queue.js';
import { PaymentRequestsListener } from './requests/payment-requests.listener.js';
import { PaymentSettingsController } from './settings/payment-settings.controller.js';
import { PaymentSettingsService } from './settings/payment-settings.service.js';
import { PaystackWebhookController } from './webhooks/paystack-webhook.controller.js';
import { PaystackWebhookService } from './webhooks/paystack-webhook.service.js';

/**
 * Payment settings, Paystack and manual transfers, transactions and payment webhooks: what
 * API and worker processes share. Paystack calls and the queue's processors live in
 * `PaymentsWorkerModule`.
 */
@Module({
  imports: [CommerceModule, InvoicesModule, NotificationsModule, AuditModule],
  controllers: [PaymentSettingsController, PaystackWebhookController, OrderPaymentsController],
  providers: [
    PaymentSettingsService,
    PaymentsQueue,
    PaymentRequestsListener,
    PaystackWebhookService,
    PaymentLedger,
    OrderPaymentsService,
    PaymentCheckoutHold,
  ],
  exports: [PaymentSettingsService, PaymentsQueue, PaymentLedger],
})
export class PaymentsModule {}
