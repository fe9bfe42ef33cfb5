import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { asSweeper } from '../../../database/periodic-sweep.js';
import { TenantDb, type TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';

// Messages deleted per transaction: short transactions, however large the backlog.
const BATCH = 1000;
const TENANT_PAGE = 500;

/**
 * Message retention (MESSAGE_RETENTION_DAYS, off unless set): deletes the messages of
 * resolved conversations older than that, tenant by tenant and in batches, with the raw
 * provider deliveries they were made from — keeping those would defeat the purpose.
 * Conversations still open keep their history whatever its age: staff may be reading it.
 */
@Injectable()
export class MessageRetention {
  private readonly logger = new Logger(MessageRetention.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Deletes what is due in every tenant; returns how many messages went. */
  async enforce(): Promise<number> {
    const days = this.config.privacy.messageRetentionDays;
    if (!days) return 0;
    let deleted = 0;
    for (let after: string | null = null, page: string[]; ; after = page[page.length - 1]) {
      page = await this.tenantIds(after);
      for (const tenantId of page) deleted += await this.enforceIn({ tenantId }, days);
      if (page.length < TENANT_PAGE) break;
    }
    if (deleted) this.logger.log({ deleted, days }, 'deleted messages past retention');
    return deleted;
  }

  async enforceIn(scope: TenantScope, days: number): Promise<number> {
    let messages = 0;
    let inbox = 0;
    try {
      for (let batch = BATCH; batch === BATCH;) {
        const [counts] = await this.tenantDb.run(scope, (tx) =>
          tx.query<{ messages: number; inbox: number }[]>(
            `WITH doomed AS (
               SELECT m.id FROM messages m
                 JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
                WHERE m.tenant_id = $1 AND c.mode = 'resolved' AND m.created_at < now() - make_interval(days => $2)
                LIMIT $3),
             gone AS (DELETE FROM messages m USING doomed d WHERE m.tenant_id = $1 AND m.id = d.id RETURNING m.inbox_id),
             raw AS (DELETE FROM inbox_messages i WHERE i.tenant_id = $1
                       AND i.id IN (SELECT inbox_id FROM gone WHERE inbox_id IS NOT NULL) RETURNING 1)
             SELECT (SELECT count(*) FROM gone)::int AS messages, (SELECT count(*) FROM raw)::int AS inbox`,
            [scope.tenantId, days, BATCH],
          ),
        );
        batch = counts.messages;
        messages += counts.messages;
        inbox += counts.inbox;
      }
    } catch (error) {
      this.logger.warn({ err: error, tenantId: scope.tenantId }, 'message retention failed');
    }
    if (messages) {
      await this.audit.record(scope, {
        action: 'privacy.messages_purged',
        details: { messages, inboxDeliveries: inbox, retentionDays: days },
      });
    }
    return messages;
  }

  /** Tenants in id order, a page at a time, as `hawker_sweeper` (which sees only ids and status). */
  private tenantIds(after: string | null): Promise<string[]> {
    return asSweeper(this.dataSource, async (tx) => {
      const rows = await tx.query<{ id: string }[]>(
        `SELECT id FROM tenants WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2`,
        [after, TENANT_PAGE],
      );
      return rows.map((row) => row.id);
    });
  }
}
