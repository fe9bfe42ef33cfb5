import { Module } from '@nestjs/common';
import { CommerceModule } from './commerce.module.js';
import { CheckoutExpiry } from './maintenance/checkout-expiry.service.js';
import { MaintenanceProcessor } from './maintenance/maintenance.processor.js';
import { ExpireCheckoutsSchedule } from './maintenance/maintenance.schedule.js';

/** Commerce's background work (the maintenance schedule): loaded only where APP_ROLE runs workers. */
@Module({
  imports: [CommerceModule],
  providers: [CheckoutExpiry, ExpireCheckoutsSchedule, MaintenanceProcessor],
})
export class CommerceWorkerModule {}
