import { Injectable } from '@nestjs/common';
import { AppError } from '../../../common/errors/app-error.js';
import { assertUuid } from '../../../common/uuid.js';
import { sqlLiteral, TenantDb, type TenantStatement } from '../../../database/tenant-db.js';
import type { InboundContent } from '../meta/meta-events.js';
import { WriteBatcher } from './write-batcher.js';

export interface NewInboxRow {
  channelId: string;
  providerMessageId: string;
  customerRef: string;
  customerName?: string;
  content: InboundContent;
  sentAt: Date;
}

interface Submission {
  tenantId: string;
  rows: NewInboxRow[];
}

// Enough to carry a burst of a busy second in one transaction; a Meta delivery holds at most 1,000.
const MAX_BATCH_ROWS = 2_000;
// Past this many rows waiting for Postgres, a delivery is refused (and retried by Meta) rather than queued.
const MAX_QUEUED_ROWS = 20_000;
// Postgres refused a value (data exception, integrity or size limit): one delivery's fault, not the batch's.
const ROW_ERROR_CLASSES = new Set(['22', '23', '54']);
// Two instances' batches took the same new keys in opposite orders: each delivery alone will go through.
const DEADLOCK_DETECTED = '40P01';

/**
 * The durable front door: a delivery is committed here before the provider gets its 200.
 * The unique (channel, provider message id) makes a replayed delivery a no-op.
 *
 * Concurrent deliveries share one transaction and one round trip to Postgres, however many
 * businesses they are for: on a busy webhook, round trips are what the time goes on.
 */
@Injectable()
export class InboxService {
  private readonly batcher = new WriteBatcher<Submission, string[]>({
    write: (submissions) => this.write(submissions),
    sizeOf: (submission) => submission.rows.length,
    maxBatchSize: MAX_BATCH_ROWS,
    maxQueuedSize: MAX_QUEUED_ROWS,
    retryAlone: worthRetryingAlone,
    overloaded: () => new AppError('unavailable', 'inbox_overloaded', 'Too many deliveries waiting to be stored'),
  });

  constructor(private readonly tenantDb: TenantDb) {}

  /** Stores one tenant's rows; resolves, once they are committed, with the ids of the rows that were new. */
  async store(tenantId: string, rows: NewInboxRow[]): Promise<string[]> {
    if (rows.length === 0) return [];
    // Refused here, a bad id fails its own caller and not the batch it would have joined; and
    // a channel id in canonical form comes back from Postgres as it went in.
    assertUuid(tenantId);
    for (const row of rows) assertUuid(row.channelId);
    return this.batcher.submit({ tenantId, rows });
  }

  /** One transaction for the whole batch: per business, one insert with that business pinned. */
  private async write(submissions: Submission[]): Promise<string[][]> {
    const owners = new Map<string, number>();
    const byTenant = new Map<string, NewInboxRow[]>();
    submissions.forEach((submission, index) => {
      const tenantRows = byTenant.get(submission.tenantId) ?? [];
      byTenant.set(submission.tenantId, tenantRows);
      for (const row of submission.rows) {
        // The same message twice in one batch (Meta retrying while the first try is queued):
        // the first one is inserted and is its caller's; the others are replays.
        const key = rowKey(row.channelId, row.providerMessageId);
        if (owners.has(key)) continue;
        owners.set(key, index);
        tenantRows.push(row);
      }
    });
    const statements: TenantStatement[] = [...byTenant]
      .filter(([, rows]) => rows.length > 0)
      .map(([tenantId, rows]) => ({ tenantId, sql: insertSql(tenantId, rows) }));
    const inserted = await this.tenantDb.runStatements<InsertedRow>(statements);
    const ids: string[][] = submissions.map(() => []);
    for (const row of inserted.flat()) ids[owners.get(rowKey(row.channel_id, row.provider_message_id))!].push(row.id);
    return ids;
  }
}

interface InsertedRow {
  id: string;
  channel_id: string;
  provider_message_id: string;
}

function rowKey(channelId: string, providerMessageId: string): string {
  return `${channelId.toLowerCase()} ${providerMessageId}`;
}

/** The insert of one business's rows, values inlined: the batch is one multi-statement round trip. */
function insertSql(tenantId: string, rows: NewInboxRow[]): string {
  const tenant = `${sqlLiteral(tenantId)}::uuid`;
  const records = JSON.stringify(
    rows.map((row) => ({
      channel_id: row.channelId,
      provider_message_id: row.providerMessageId,
      customer_ref: row.customerRef,
      customer_name: row.customerName ?? null,
      content: row.content,
      sent_at: row.sentAt.toISOString(),
    })),
  );
  return `INSERT INTO inbox_messages
      (tenant_id, channel_id, provider_message_id, customer_ref, customer_name, content, sent_at)
    SELECT ${tenant}, r.channel_id, r.provider_message_id, r.customer_ref, r.customer_name, r.content, r.sent_at
      FROM jsonb_to_recordset(${sqlLiteral(records)}::jsonb) AS r(channel_id uuid, provider_message_id text,
        customer_ref text, customer_name text, content jsonb, sent_at timestamptz)
     -- Another instance's routing cache may lag a disconnect by seconds: a channel
     -- that is gone takes nothing in.
     WHERE EXISTS (SELECT 1 FROM channels c
                    WHERE c.tenant_id = ${tenant} AND c.id = r.channel_id AND c.status <> 'disconnected')
    ON CONFLICT (channel_id, provider_message_id) DO NOTHING
    RETURNING id, channel_id, provider_message_id`;
}

/** Whether a failed batch is worth retrying one delivery at a time, by Postgres' SQLSTATE. */
function worthRetryingAlone(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  const sqlState = typeof code === 'string' ? code : driverError?.code;
  if (typeof sqlState !== 'string') return false;
  return ROW_ERROR_CLASSES.has(sqlState.slice(0, 2)) || sqlState === DEADLOCK_DETECTED;
}
