import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';

export const CONSENT_PURPOSES = ['service', 'marketing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_SOURCES = ['chat', 'staff', 'api'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export interface ConsentChange {
  contactId: string;
  purpose: ConsentPurpose;
  granted: boolean;
  source: ConsentSource;
  /** The staff member or API user, when not the customer in chat. */
  actorUserId?: string;
}

/**
 * CONTRACT (to be implemented by the consent work). Every method runs in the caller's
 * tenant transaction.
 */
@Injectable()
export class ConsentService {
  /** Records a change (and its history); false when it changed nothing. */
  async record(_tx: EntityManager, _scope: TenantScope, _change: ConsentChange): Promise<boolean> {
    throw new Error('not implemented');
  }

  /** Whether the contact has withdrawn consent for this purpose (never asked counts as not withdrawn). */
  async isWithdrawn(
    _tx: EntityManager,
    _scope: TenantScope,
    _contactId: string,
    _purpose: ConsentPurpose,
  ): Promise<boolean> {
    throw new Error('not implemented');
  }
}
