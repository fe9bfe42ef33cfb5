import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { OrdersService } from '../../commerce/orders/orders.service.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { Mailer } from '../mailer.service.js';
import { StaffRecipients } from '../staff-recipients.service.js';
import { staffNoticeEmail } from './staff-notice-email.js';
import type { StaffNoticeJob } from './staff-notice.job.js';

/** E-mails a staff notice to the business's members. */
@Injectable()
export class StaffNoticeSender {
  private readonly logger = new Logger(StaffNoticeSender.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly orders: OrdersService,
    private readonly tenants: TenantsService,
    private readonly members: StaffRecipients,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async send(job: StaffNoticeJob): Promise<void> {
    const scope = { tenantId: job.tenantId };
    if (!this.mailer.configured) {
      // The audit entry written with the notice still shows it.
      this.logger.log({ tenantId: job.tenantId, kind: job.kind }, 'staff notice e-mail skipped: SMTP_URL is not set');
      return;
    }
    const recipients = await this.members.emails(job.tenantId);
    if (recipients.length === 0) return;
    const tenant = await this.tenants.get(job.tenantId);
    const order = await this.tenantDb.run(scope, (tx) => this.orders.detail(tx, scope, job.orderId).catch(() => null));
    await this.mailer.send({
      bcc: recipients,
      ...staffNoticeEmail({
        kind: job.kind,
        businessName: tenant.name,
        orderNumber: order?.number ?? null,
        summary: job.summary,
        link: `${this.config.http.publicBaseUrl}/v1/tenants/${job.tenantId}/orders/${job.orderId}`,
      }),
    });
    // A retry after this point sends again: a notice twice beats none.
    await this.audit.record(scope, {
      action: 'notification.staff_notice_emailed',
      target: { type: 'order', id: job.orderId },
      details: { kind: job.kind, recipients: recipients.length },
    });
  }
}
