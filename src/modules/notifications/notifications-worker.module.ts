import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ConversationEventsModule } from '../conversations/events/conversation-events.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { Mailer } from './mailer.service.js';
import { StaffAlertProcessor } from './staff-alerts/staff-alert.processor.js';
import { StaffAlertsService } from './staff-alerts/staff-alerts.service.js';

/** The notifications queue's processors: loaded only where APP_ROLE runs workers. */
@Module({
  imports: [ConversationEventsModule, TenantsModule, AuditModule],
  providers: [Mailer, StaffAlertsService, StaffAlertProcessor],
})
export class NotificationsWorkerModule {}
