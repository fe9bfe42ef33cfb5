import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';

/** Why an unpaid checkout past its expiry must stay open; undefined when nothing holds it. */
export type CheckoutHold = (tx: EntityManager, scope: TenantScope, orderId: string) => Promise<string | undefined>;

/**
 * What keeps a lapsed checkout from being cancelled. Payments sits downstream of commerce
 * and registers here: a payment received but not yet applied (or waiting for review) must
 * not find its order cancelled and its stock sold to someone else.
 */
@Injectable()
export class CheckoutHolds {
  private readonly holds: CheckoutHold[] = [];

  register(hold: CheckoutHold): void {
    this.holds.push(hold);
  }

  async reasonToKeep(tx: EntityManager, scope: TenantScope, orderId: string): Promise<string | undefined> {
    for (const hold of this.holds) {
      const reason = await hold(tx, scope, orderId);
      if (reason) return reason;
    }
    return undefined;
  }
}
