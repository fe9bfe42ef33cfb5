import { Injectable } from '@nestjs/common';
import { isUuid } from '../../../common/uuid.js';
import { afterCommit, TenantDb } from '../../../database/tenant-db.js';
import { PaymentErrors } from '../payments.errors.js';
import { PaymentsQueue } from '../payments.queue.js';
import { verifyPaystackSignature } from '../paystack/paystack-signature.js';
import { PaymentSettingsService } from '../settings/payment-settings.service.js';
import { readPaystackEvent } from './paystack-event.js';

export interface WebhookDelivery {
  tenantId: string;
  rawBody: Buffer | undefined;
  signature: unknown;
  body: unknown;
}

/**
 * Takes a Paystack webhook in: checks the signature with the tenant's own key, stores the
 * event once, and leaves the rest (verify, apply) to a job, so Paystack hears 200 at once.
 */
@Injectable()
export class PaystackWebhookService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly settings: PaymentSettingsService,
    private readonly queue: PaymentsQueue,
  ) {}

  async receive(delivery: WebhookDelivery): Promise<{ received: true; duplicate: boolean }> {
    const { tenantId, rawBody } = delivery;
    const scope = { tenantId };
    // An unknown tenant, one without a key and a bad signature get the same answer.
    const key = isUuid(tenantId)
      ? await this.tenantDb.run(scope, (tx) => this.settings.paystackKeyIn(tx, scope))
      : undefined;
    if (!verifyPaystackSignature(rawBody, delivery.signature, key)) throw PaymentErrors.invalidSignature();
    const event = readPaystackEvent(delivery.body, rawBody!);
    const stored = await this.tenantDb.run(scope, async (tx) => {
      const [row] = await tx.query<{ id: string }[]>(
        `INSERT INTO payment_events (tenant_id, provider, event, dedupe_key, reference, payload)
         VALUES ($1, 'paystack', $2, $3, $4, $5)
         ON CONFLICT (tenant_id, provider, dedupe_key) DO NOTHING RETURNING id`,
        [tenantId, event.event, event.dedupeKey, event.reference, JSON.stringify(event.payload)],
      );
      if (row) afterCommit(tx, () => this.queue.event({ tenantId, eventId: row.id }));
      return Boolean(row);
    });
    return { received: true, duplicate: !stored };
  }
}
