import { Injectable } from '@nestjs/common';
import type { TenantContext } from '../../../common/auth/roles.js';
import { decodeKeyset, type Page, pageSize, toKeysetPage } from '../../../common/http/pagination.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { SqlParams } from '../staff-inbox/sql-params.js';
import type { InboxQuery } from './dto/inbox.query.js';
import {
  SELECT_STAFF_CONVERSATION,
  type StaffConversationRow,
  type StaffConversationView,
  toStaffConversationView,
  WAITING_SINCE,
} from './staff-conversation.view.js';

/**
 * What staff work from: conversations with staff (escalated or human), the one waiting
 * longest first, with how many customer messages nobody has read yet.
 */
@Injectable()
export class InboxService {
  constructor(private readonly tenantDb: TenantDb) {}

  list(ctx: TenantContext, query: InboxQuery): Promise<Page<StaffConversationView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    const params = new SqlParams();
    // Both modes spelled out even when one is asked for: the planner then uses the partial inbox index.
    const where = [`c.tenant_id = ${params.add(ctx.tenantId)}`, `c.mode IN ('escalated', 'human')`];
    if (query.mode) where.push(`c.mode = ${params.add(query.mode)}`);
    if (query.assignee === 'none') where.push('c.assignee_id IS NULL');
    else if (query.assignee)
      where.push(`c.assignee_id = ${params.add(query.assignee === 'me' ? ctx.userId : query.assignee.toLowerCase())}`);
    if (after)
      where.push(`(${WAITING_SINCE}, c.id) > (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::uuid)`);
    const sql = `${SELECT_STAFF_CONVERSATION} WHERE ${where.join(' AND ')}
      ORDER BY ${WAITING_SINCE}, c.id LIMIT ${params.add(limit + 1)}`;
    return this.tenantDb.run(ctx, async (tx) =>
      toKeysetPage(await tx.query<StaffConversationRow[]>(sql, params.values), limit, toStaffConversationView),
    );
  }
}
