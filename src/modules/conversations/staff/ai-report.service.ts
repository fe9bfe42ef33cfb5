import { Injectable } from '@nestjs/common';
import type { TenantContext } from '../../../common/auth/roles.js';
import { AppError } from '../../../common/errors/app-error.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { aiTurnStats } from '../../ai/turns/ai-turn-stats.js';

const MAX_RANGE_DAYS = 366;

export interface AiReport {
  from: string;
  to: string;
  /** Replies sent, by the path that produced them. */
  repliesByPath: { ai: number; fallback: number; staff: number; system: number };
  aiTurns: Awaited<ReturnType<typeof aiTurnStats>>;
  conversations: {
    /** Conversations in which the customer wrote during the period. */
    active: number;
    escalated: number;
    /** Active conversations no person had to touch: never escalated, no staff reply. */
    withoutHuman: number;
    /** withoutHuman / active, or null when there was no activity. */
    shareWithoutHuman: number | null;
  };
}

/** How much the AI (and the bot) handled for a business over a period. */
@Injectable()
export class AiReportService {
  constructor(private readonly tenantDb: TenantDb) {}

  report(ctx: TenantContext, range: { from?: string; to?: string }): Promise<AiReport> {
    const to = range.to ? new Date(range.to) : new Date();
    const from = range.from ? new Date(range.from) : new Date(to.getTime() - 30 * 86_400_000);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
      throw new AppError(
        'bad_request',
        'invalid_range',
        `from must be before to, at most ${MAX_RANGE_DAYS} days apart`,
      );
    }
    return this.tenantDb.run(ctx, async (tx) => {
      const replies = await tx.query<{ source: keyof AiReport['repliesByPath']; count: number }[]>(
        `SELECT source, count(*)::int AS count FROM messages
          WHERE tenant_id = $1 AND direction = 'out' AND created_at >= $2 AND created_at < $3 GROUP BY source`,
        [ctx.tenantId, from, to],
      );
      const [conversations] = await tx.query<{ active: number; escalated: number; without_human: number }[]>(
        `WITH active AS (
           SELECT DISTINCT conversation_id FROM messages
            WHERE tenant_id = $1 AND direction = 'in' AND created_at >= $2 AND created_at < $3)
         SELECT (SELECT count(*) FROM active)::int AS active,
                (SELECT count(*) FROM conversations WHERE tenant_id = $1 AND escalated_at >= $2 AND escalated_at < $3)::int AS escalated,
                (SELECT count(*) FROM active a JOIN conversations c ON c.tenant_id = $1 AND c.id = a.conversation_id
                  WHERE NOT (c.escalated_at IS NOT NULL AND c.escalated_at >= $2 AND c.escalated_at < $3)
                    AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = $1 AND m.conversation_id = a.conversation_id
                                      AND m.source = 'staff' AND m.created_at >= $2 AND m.created_at < $3))::int AS without_human`,
        [ctx.tenantId, from, to],
      );
      const repliesByPath = { ai: 0, fallback: 0, staff: 0, system: 0 };
      for (const row of replies) repliesByPath[row.source] = row.count;
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        repliesByPath,
        aiTurns: await aiTurnStats(tx, ctx, from, to),
        conversations: {
          active: conversations.active,
          escalated: conversations.escalated,
          withoutHuman: conversations.without_human,
          shareWithoutHuman: conversations.active ? conversations.without_human / conversations.active : null,
        },
      };
    });
  }
}
