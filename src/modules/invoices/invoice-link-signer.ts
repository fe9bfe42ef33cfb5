import { Injectable } from '@nestjs/common';
import { RecordLinkSigner } from '../../common/crypto/record-link.js';
import { AppConfig } from '../../config/app-config.js';
import { InvoiceErrors } from './invoices.errors.js';

/** Names this use of the JWT secret, so a key derived for anything else never verifies a link. */
const KEY_LABEL = 'hawker/invoice-link/v1';

export interface InvoiceLinkClaims {
  tenantId: string;
  invoiceId: string;
}

/**
 * The public invoice links customers open from the chat. The link is the customer's only
 * credential, so it names one invoice of one tenant and expires.
 */
@Injectable()
export class InvoiceLinkSigner {
  private readonly links: RecordLinkSigner;
  private readonly ttlSeconds: number;

  constructor(config: AppConfig) {
    this.links = new RecordLinkSigner(config.auth.jwtSecret, KEY_LABEL);
    this.ttlSeconds = config.invoices.linkTtlSeconds;
  }

  /** A token valid for the configured time from `now` (tests pass a past `now` to mint an expired one). */
  sign(claims: InvoiceLinkClaims, now: Date = new Date()): string {
    const expiresAt = new Date(now.getTime() + this.ttlSeconds * 1000);
    return this.links.sign({ tenantId: claims.tenantId, recordId: claims.invoiceId }, expiresAt);
  }

  /** The invoice a token names; `not_found` when forged or malformed, `link_expired` when genuine but late. */
  verify(token: string, now: Date = new Date()): InvoiceLinkClaims {
    const checked = this.links.check(token, now);
    if (!checked.ok) throw checked.reason === 'expired' ? InvoiceErrors.linkExpired() : InvoiceErrors.notFound();
    return { tenantId: checked.claims.tenantId, invoiceId: checked.claims.recordId };
  }
}
