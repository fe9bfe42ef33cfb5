import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../../database/tenant-db.js';
import { type CommerceStep, nextStep } from '../../conversation-state.js';
import { asDraft, type DeliveryDraft } from './delivery-details.js';

export interface CheckoutState {
  step: CommerceStep;
  draft: DeliveryDraft;
  contactId: string;
  /** E.164, when the channel told us (WhatsApp). */
  contactPhone: string | null;
}

/**
 * A conversation's commerce step and checkout answers, read and written inside the
 * engine's transaction. Reading locks the conversation row: the inbound drain holds it
 * already, but an AI tool call runs in a transaction of its own. Read fresh per command:
 * one drain handles several messages in a row.
 */
@Injectable()
export class CheckoutStore {
  async load(tx: EntityManager, scope: TenantScope, conversationId: string): Promise<CheckoutState> {
    const [row] = await tx.query<
      { step: CommerceStep; draft: unknown; contactId: string; contactPhone: string | null }[]
    >(
      `SELECT c.commerce_step AS step, c.checkout_draft AS draft, c.contact_id AS "contactId", ct.phone AS "contactPhone"
         FROM conversations c JOIN contacts ct ON ct.tenant_id = c.tenant_id AND ct.id = c.contact_id
        WHERE c.tenant_id = $1 AND c.id = $2
          FOR UPDATE OF c`,
      [scope.tenantId, conversationId],
    );
    if (!row) throw new Error(`Conversation ${conversationId} not found in its own turn`);
    return { ...row, draft: asDraft(row.draft) };
  }

  /** Moves the step along its transition table (`illegal_transition` otherwise). */
  async moveTo(tx: EntityManager, scope: TenantScope, conversationId: string, to: CommerceStep): Promise<void> {
    const { step } = await this.load(tx, scope, conversationId);
    if (step === to) return;
    await tx.query(`UPDATE conversations SET commerce_step = $3 WHERE tenant_id = $1 AND id = $2`, [
      scope.tenantId,
      conversationId,
      nextStep(step, to),
    ]);
  }

  async saveDraft(tx: EntityManager, scope: TenantScope, conversationId: string, draft: DeliveryDraft): Promise<void> {
    await tx.query(`UPDATE conversations SET checkout_draft = $3 WHERE tenant_id = $1 AND id = $2`, [
      scope.tenantId,
      conversationId,
      JSON.stringify(draft),
    ]);
  }
}
