import { Injectable } from '@nestjs/common';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Errors } from '../../../common/errors/app-error.js';
import { decodeKeyset, type Page, pageSize, positionOf, toKeysetPage } from '../../../common/http/pagination.js';
import { isUuid } from '../../../common/uuid.js';
import { TenantDb } from '../../../database/tenant-db.js';
import type { ListContactsQuery } from '../dto/list-contacts.query.js';
import { type ContactRow, type ContactView, toContactView } from './inbox.views.js';
import { SqlParams, containsPattern } from './sql-params.js';

const SELECT_CONTACT = `
  SELECT id, channel_id, display_name, phone, external_ref, last_inbound_at, created_at,
         ${positionOf('created_at')} AS position
  FROM contacts`;

/** The tenant's customers, as staff browse and search them. */
@Injectable()
export class ContactsReadService {
  constructor(private readonly tenantDb: TenantDb) {}

  /** Newest first, on the `(tenant_id, created_at DESC, id DESC)` index. */
  list(ctx: TenantContext, query: ListContactsQuery): Promise<Page<ContactView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    const params = new SqlParams();
    const where = [`tenant_id = ${params.add(ctx.tenantId)}`];
    if (query.q) {
      const pattern = params.add(containsPattern(query.q));
      where.push(`(display_name ILIKE ${pattern} ESCAPE '\\' OR phone ILIKE ${pattern} ESCAPE '\\')`);
    }
    if (after) where.push(`(created_at, id) < (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::uuid)`);
    const sql = `${SELECT_CONTACT} WHERE ${where.join(' AND ')}
      ORDER BY created_at DESC, id DESC LIMIT ${params.add(limit + 1)}`;
    return this.tenantDb.run(ctx, async (tx) =>
      toKeysetPage(await tx.query<ContactRow[]>(sql, params.values), limit, toContactView),
    );
  }

  async get(ctx: TenantContext, contactId: string): Promise<ContactView> {
    // A malformed id cannot name a contact: answer as for one of another tenant.
    if (!isUuid(contactId)) throw Errors.notFound('Contact');
    const [row] = await this.tenantDb.run(ctx, (tx) =>
      tx.query<ContactRow[]>(`${SELECT_CONTACT} WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, contactId]),
    );
    if (!row) throw Errors.notFound('Contact');
    return toContactView(row);
  }
}
