import { Injectable } from '@nestjs/common';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';

/**
 * Whether a customer who asked for a person is still waiting for one. Owned here, beside
 * the events that announce escalations, so that the modules reacting to them (staff
 * alerts) ask the conversations module instead of reading its table.
 */
@Injectable()
export class UnansweredEscalations {
  constructor(private readonly tenantDb: TenantDb) {}

  /**
   * When the conversation's current escalation began, if it is still escalated and nobody
   * has taken it; undefined once it was assigned, handled, handed back or resolved.
   * Truncated to milliseconds so that the instant survives a round trip through a JS Date
   * and identifies the escalation exactly.
   */
  async waitingSince(scope: TenantScope, conversationId: string): Promise<Date | undefined> {
    const rows = await this.tenantDb.run(scope, (tx) =>
      tx.query<{ escalated_at: Date }[]>(
        `SELECT date_trunc('milliseconds', escalated_at) AS escalated_at FROM conversations
          WHERE tenant_id = $1 AND id = $2 AND mode = 'escalated' AND assignee_id IS NULL
            AND escalated_at IS NOT NULL`,
        [scope.tenantId, conversationId],
      ),
    );
    return rows[0]?.escalated_at;
  }
}
