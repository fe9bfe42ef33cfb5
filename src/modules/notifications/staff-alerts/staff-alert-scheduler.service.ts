import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Queue } from 'bull';
import { AppConfig } from '../../../config/app-config.js';
import { enqueue } from '../../../queues/enqueue.js';
import { Queues } from '../../../queues/queue-names.js';
import { CONVERSATION_EVENT, type TenantEvent } from '../../conversations/events/conversation-events.js';
import { UnansweredEscalations } from '../../conversations/events/unanswered-escalations.service.js';
import { STAFF_ALERT_JOB, staffAlertJobId, type StaffAlertJob } from './staff-alert.job.js';

// Retries of a failed send: 15 s, 30 s, 1 min, 2 min.
const ATTEMPTS = 5;
const RETRY_BASE_MS = 15_000;

/**
 * Schedules an e-mail to staff when a conversation is escalated. The e-mail waits out
 * `STAFF_ALERT_DELAY_MS` first: most escalations are taken in the inbox within minutes,
 * and the processor re-checks before sending.
 */
@Injectable()
export class StaffAlertScheduler {
  private readonly logger = new Logger(StaffAlertScheduler.name);

  constructor(
    @InjectQueue(Queues.notifications) private readonly queue: Queue<StaffAlertJob>,
    private readonly escalations: UnansweredEscalations,
    private readonly config: AppConfig,
  ) {}

  @OnEvent(CONVERSATION_EVENT)
  async onConversationEvent(tenantEvent: TenantEvent): Promise<void> {
    const { tenantId, event } = tenantEvent;
    if (event.type !== 'conversation.escalated') return;
    try {
      await this.schedule(tenantId, event.conversationId);
    } catch (error) {
      // Best effort, like the event itself: the conversation still shows as escalated in the inbox.
      this.logger.warn({ err: error, tenantId, conversationId: event.conversationId }, 'staff alert not scheduled');
    }
  }

  private async schedule(tenantId: string, conversationId: string): Promise<void> {
    const since = await this.escalations.waitingSince({ tenantId }, conversationId);
    // Already taken (or no longer escalated) by the time the event arrived.
    if (!since) return;
    const job = await enqueue(
      this.queue,
      STAFF_ALERT_JOB,
      { tenantId, conversationId, kind: 'escalation_unassigned', escalatedAt: since.toISOString() },
      {
        jobId: staffAlertJobId(conversationId, since),
        delay: this.config.notifications.staffAlertDelayMs,
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: RETRY_BASE_MS },
        // Kept for a day: Bull ignores a job id it still holds, so a late repeat of the
        // same escalation's event finds the finished job and sends nothing twice.
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
    if (!job) this.logger.warn({ tenantId, conversationId }, 'staff alert not scheduled: Redis did not answer');
  }
}
