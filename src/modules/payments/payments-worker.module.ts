import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { CommerceModule } from '../commerce/commerce.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ChargeSuccessHandler } from './events/charge-success.handler.js';
import { PaymentEventApplier } from './events/payment-event-applier.js';
import { PaystackAdjustmentsHandler } from './events/paystack-adjustments.handler.js';
import { PaymentsSweeper } from './payments-sweeper.service.js';
import { PaymentsModule } from './payments.module.js';
import { PaymentsProcessor } from './payments.processor.js';
import { PAYSTACK_TIMEOUT_MS, PaystackClient } from './paystack/paystack.client.js';
import { PaymentLinksService } from './requests/payment-links.service.js';

/** The `payments` queue's processors and sweeper: loaded only where APP_ROLE runs workers. */
@Module({
  imports: [PaymentsModule, CommerceModule, NotificationsModule],
  providers: [
    {
      provide: PaystackClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new PaystackClient({ baseUrl: config.paystack.baseUrl, timeoutMs: PAYSTACK_TIMEOUT_MS }),
    },
    PaymentLinksService,
    ChargeSuccessHandler,
    PaystackAdjustmentsHandler,
    PaymentEventApplier,
    PaymentsProcessor,
    PaymentsSweeper,
  ],
  exports: [PaymentsSweeper],
})
export class PaymentsWorkerModule {}
