import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { AuditService } from '../../audit/audit.service.js';
import { UnansweredEscalations } from '../../conversations/events/unanswered-escalations.service.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { Mailer } from '../mailer.service.js';
import { StaffRecipients } from '../staff-recipients.service.js';
import { staffAlertEmail } from './staff-alert-email.js';
import type { StaffAlertJob } from './staff-alert.job.js';

/** Sends a due staff alert, if the customer is still waiting for the escalation it was scheduled for. */
@Injectable()
export class StaffAlertsService {
  private readonly logger = new Logger(StaffAlertsService.name);

  constructor(
    private readonly escalations: UnansweredEscalations,
    private readonly tenants: TenantsService,
    private readonly members: StaffRecipients,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async send(job: StaffAlertJob): Promise<void> {
    const scope = { tenantId: job.tenantId };
    if (!this.mailer.configured) {
      this.logger.log({ tenantId: job.tenantId }, 'staff alert skipped: SMTP_URL is not set');
      return;
    }
    const since = await this.escalations.waitingSince(scope, job.conversationId);
    // Taken, handed back or resolved meanwhile; or escalated again, which has its own alert.
    if (!since || since.toISOString() !== job.escalatedAt) return;
    const tenant = await this.tenants.get(job.tenantId);
    // A suspended business answers nobody; its staff are not called in either.
    if (tenant.status === 'suspended') return;
    // Everyone who can take a conversation in the inbox.
    const recipients = await this.members.emails(job.tenantId);
    if (recipients.length === 0) return;
    const link = `${this.config.http.publicBaseUrl}/v1/tenants/${job.tenantId}/conversations/${job.conversationId}`;
    await this.mailer.send({
      bcc: recipients,
      ...staffAlertEmail({ businessName: tenant.name, link, waitingSince: since, now: new Date() }),
    });
    // A retry after this point sends again: an alert twice beats none.
    await this.audit.record(scope, {
      action: 'notification.staff_alerted',
      target: { type: 'conversation', id: job.conversationId },
      details: { kind: job.kind, recipients: recipients.length },
    });
  }
}
