import { Process, Processor } from '@nestjs/bull';
import { Queues } from '../../../queues/queue-names.js';
import { CheckoutExpiry } from './checkout-expiry.service.js';
import { EXPIRE_CHECKOUTS_JOB } from './maintenance.schedule.js';

@Processor(Queues.maintenance)
export class MaintenanceProcessor {
  constructor(private readonly expiry: CheckoutExpiry) {}

  @Process(EXPIRE_CHECKOUTS_JOB)
  async expireCheckouts(): Promise<{ expired: number }> {
    return { expired: await this.expiry.expireDue() };
  }
}
