import { Injectable } from '@nestjs/common';
import { RecordLinkSigner } from '../../../common/crypto/record-link.js';
import { AppConfig } from '../../../config/app-config.js';
import { PrivacyErrors } from './privacy-requests.errors.js';

/** Names this use of the JWT secret: a key derived for anything else never verifies a link. */
const KEY_LABEL = 'hawker/privacy-export-link/v1';

export interface ExportLinkClaims {
  tenantId: string;
  requestId: string;
}

/**
 * Export download tokens: one request of one tenant, expiring with the archive. A second
 * lock, not the only one: the download route also requires an owner or admin of that
 * tenant, so a leaked link alone opens nothing.
 */
@Injectable()
export class ExportLinkSigner {
  private readonly links: RecordLinkSigner;

  constructor(config: AppConfig) {
    this.links = new RecordLinkSigner(config.auth.jwtSecret, KEY_LABEL);
  }

  /** A token valid until `expiresAt` (tests pass a past time to mint an expired one). */
  sign(claims: ExportLinkClaims, expiresAt: Date): string {
    return this.links.sign({ tenantId: claims.tenantId, recordId: claims.requestId }, expiresAt);
  }

  /** The request a token names; `not_found` when forged or malformed, `link_expired` when genuine but late. */
  verify(token: unknown, now: Date = new Date()): ExportLinkClaims {
    const checked = this.links.check(token, now);
    if (!checked.ok) throw checked.reason === 'expired' ? PrivacyErrors.linkExpired() : PrivacyErrors.notFound();
    return { tenantId: checked.claims.tenantId, requestId: checked.claims.recordId };
  }
}
