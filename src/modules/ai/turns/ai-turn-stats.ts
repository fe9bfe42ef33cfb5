import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../../../database/tenant-db.js';

export interface AiTurnStats {
  answered: number;
  fellBack: number;
  /** Why the AI did not answer: timeout, rate_limited, breaker_open, malformed_tool_call, … */
  fallbackReasons: Record<string, number>;
  medianLatencyMs: number | null;
}

/** How the AI fared over a period, from its own turn records. */
export async function aiTurnStats(tx: EntityManager, scope: TenantScope, from: Date, to: Date): Promise<AiTurnStats> {
  const rows = await tx.query<{ status: string; reason: string | null; count: number; median: number | null }[]>(
    `SELECT status, fallback_reason AS reason, count(*)::int AS count,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS median
       FROM ai_turns
      WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 AND status <> 'running'
      GROUP BY GROUPING SETS ((status, fallback_reason), ())`,
    [scope.tenantId, from, to],
  );
  const stats: AiTurnStats = { answered: 0, fellBack: 0, fallbackReasons: {}, medianLatencyMs: null };
  for (const row of rows) {
    if (row.status === null) {
      stats.medianLatencyMs = row.median === null ? null : Math.round(row.median);
    } else if (row.status === 'answered') {
      stats.answered += row.count;
    } else {
      stats.fellBack += row.count;
      stats.fallbackReasons[row.reason ?? 'unknown'] =
        (stats.fallbackReasons[row.reason ?? 'unknown'] ?? 0) + row.count;
    }
  }
  return stats;
}
