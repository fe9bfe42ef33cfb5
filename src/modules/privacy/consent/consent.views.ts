import type { ConsentPurpose, ConsentSource } from './consent.service.js';

/** `not_recorded`: never asked, which counts as granted (not withdrawn). */
export type ConsentStatus = 'granted' | 'withdrawn' | 'not_recorded';

export interface ConsentView {
  purpose: ConsentPurpose;
  status: ConsentStatus;
  /** Whether messages of this purpose may be sent. */
  granted: boolean;
  source: ConsentSource | null;
  /** The staff member who made the last change; null for the customer or when never changed. */
  changedBy: string | null;
  changedAt: string | null;
}

export interface ConsentEventView {
  id: string;
  purpose: ConsentPurpose;
  status: Exclude<ConsentStatus, 'not_recorded'>;
  source: ConsentSource;
  changedBy: string | null;
  at: string;
}

export interface ContactConsentsView {
  contactId: string;
  consents: ConsentView[];
  /** Newest first, at most HISTORY_LIMIT entries. */
  history: ConsentEventView[];
}
