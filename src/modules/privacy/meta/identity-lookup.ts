import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The role that may see, in every tenant, only the contacts with the channel identity set for the transaction. */
export const IDENTITY_LOOKUP_DB_ROLE = 'hawker_identity_lookup';
// The schema's bound on contacts.external_ref: anything longer names nobody.
const MAX_EXTERNAL_REF_LENGTH = 256;

export interface ContactRef {
  tenantId: string;
  contactId: string;
}

/**
 * Finds a person's contacts across every business, for Meta's data-deletion callback. Runs
 * as `hawker_identity_lookup`, whose only policy shows the contacts whose `external_ref` is
 * the value pinned in `app.lookup_external_ref`: it cannot list anyone else's. Only
 * Instagram contacts: Meta's callbacks name a person by a Meta-scoped id, which an
 * Instagram-scoped id is and a WhatsApp number (another id space, also all digits) is not
 * — an erasure must never reach a stranger whose phone number happens to match.
 */
@Injectable()
export class IdentityLookup {
  constructor(private readonly dataSource: DataSource) {}

  async contactsWith(externalRef: string): Promise<ContactRef[]> {
    if (externalRef.length === 0 || externalRef.length > MAX_EXTERNAL_REF_LENGTH) return [];
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT set_config('role', $1, true), set_config('app.lookup_external_ref', $2, true)`, [
        IDENTITY_LOOKUP_DB_ROLE,
        externalRef,
      ]);
      return tx.query<ContactRef[]>(
        `SELECT c.tenant_id AS "tenantId", c.id AS "contactId"
           FROM contacts c JOIN channels ch ON ch.tenant_id = c.tenant_id AND ch.id = c.channel_id
          WHERE c.external_ref = $1 AND ch.type = 'instagram'
          ORDER BY c.tenant_id, c.id`,
        [externalRef],
      );
    });
  }
}
