import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid } from '../../../common/uuid.js';
import { afterCommit, TenantDb } from '../../../database/tenant-db.js';
import { PaymentErrors } from '../payments.errors.js';
import { PaymentsQueue } from '../payments.queue.js';
import { verifyPaystackSignature } from '../paystack/paystack-signature.js';
import { PaymentSettingsService } from '../settings/payment-settings.service.js';
import { readPaystackEvent, type PaystackEvent } from './paystack-event.js';

export interface WebhookDelivery {
  tenantId: string;
  rawBody: Buffer | undefined;
  signature: unknown;
  body: unknown;
}

/**
 * Takes a Paystack webhook in: checks the signature with the tenant's own key, stores the
 * event once (only the fields we use), and leaves the rest (verify, apply) to a job, so
 * Paystack hears 200 at once. Past the signature nothing answers 4xx: Paystack would retry it.
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
      const id = await this.store(tx, tenantId, event);
      if (id && event.readable) afterCommit(tx, () => this.queue.event({ tenantId, eventId: id }));
      return Boolean(id);
    });
    return { received: true, duplicate: !stored };
  }

  /** Stores the event once; one we cannot read is kept settled, as a record that it came. */
  private async store(tx: EntityManager, tenantId: string, event: PaystackEvent): Promise<string | undefined> {
    const [status, outcome] = event.readable ? ['pending', null] : ['ignored', 'malformed_event'];
    const [row] = await tx.query<{ id: string }[]>(
      `INSERT INTO payment_events (tenant_id, provider, event, dedupe_key, reference, payload, status, outcome, processed_at)
       VALUES ($1, 'paystack', $2, $3, $4, $5, $6, $7, CASE WHEN $6 = 'pending' THEN NULL ELSE now() END)
       ON CONFLICT (tenant_id, provider, dedupe_key) DO NOTHING RETURNING id`,
      [tenantId, event.event, event.dedupeKey, event.reference, JSON.stringify(event.payload), status, outcome],
    );
    return row?.id;
  }
}
