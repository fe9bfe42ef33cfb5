import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { afterCommit, type TenantScope } from '../../../database/tenant-db.js';
import { enqueue } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';
import { AuditService } from '../../audit/audit.service.js';
import type { StaffNotice } from './staff-notice.js';
import { STAFF_NOTICE_JOB, type StaffNoticeJob } from './staff-notice.job.js';

// The contract's types, where its callers first found them.
export type { StaffNotice, StaffNoticeKind } from './staff-notice.js';

// A mail server that is away is retried after 15 s, 30 s, 1 min, 2 min.
const ATTEMPTS = 5;
const RETRY_BASE_MS = 15_000;
const SUMMARY_MAX = 500;

/**
 * Tells the business's members about something that needs a person (a payment to review,
 * a customer we cannot reach): an audit entry in the caller's transaction — the durable
 * record, listed in the audit log — and an e-mail queued after commit.
 */
@Injectable()
export class StaffNotices {
  private readonly logger = new Logger(StaffNotices.name);

  constructor(
    private readonly audit: AuditService,
    @InjectQueue(Queues.notifications) private readonly queue: Queue<StaffNoticeJob>,
  ) {}

  async alert(tx: EntityManager, scope: TenantScope, notice: StaffNotice): Promise<void> {
    await this.audit.recordIn(tx, scope, {
      action: 'notification.staff_notice',
      target: { type: 'order', id: notice.orderId },
      details: { kind: notice.kind, orderId: notice.orderId },
    });
    const job: StaffNoticeJob = {
      tenantId: scope.tenantId,
      orderId: notice.orderId,
      kind: notice.kind,
      summary: notice.summary.slice(0, SUMMARY_MAX),
    };
    afterCommit(tx, async () => {
      // Each notice is its own e-mail: a fresh id, since two notices may name one order.
      const queued = await enqueue(this.queue, STAFF_NOTICE_JOB, job, {
        jobId: `staff-notice:${randomUUID()}`,
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: RETRY_BASE_MS },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      if (!queued) this.logger.warn({ tenantId: scope.tenantId, kind: notice.kind }, 'staff notice e-mail not queued');
    });
  }
}
