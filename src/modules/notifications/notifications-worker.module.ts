import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { OutboxModule } from '../channels/outbox/outbox.module.js';
import { CommerceModule } from '../commerce/commerce.module.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { ConversationEventsModule } from '../conversations/events/conversation-events.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { CustomerNotificationDelivery } from './customer/customer-notification-delivery.service.js';
import { CustomerNotificationSweeper } from './customer/customer-notification-sweeper.service.js';
import { CustomerNotificationProcessor } from './customer/customer-notification.processor.js';
import { Mailer } from './mailer.service.js';
import { NotificationsModule } from './notifications.module.js';
import { StaffAlertProcessor } from './staff-alerts/staff-alert.processor.js';
import { StaffAlertsService } from './staff-alerts/staff-alerts.service.js';
import { StaffNoticeSender } from './staff-notices/staff-notice-sender.service.js';
import { StaffNoticeProcessor } from './staff-notices/staff-notice.processor.js';
import { StaffRecipients } from './staff-recipients.service.js';

/** The notifications queue's processors and sweeper: loaded only where APP_ROLE runs workers. */
@Module({
  imports: [
    NotificationsModule,
    ConversationsModule,
    ConversationEventsModule,
    OutboxModule,
    CommerceModule,
    TenantsModule,
    AuditModule,
  ],
  providers: [
    Mailer,
    StaffRecipients,
    StaffAlertsService,
    StaffAlertProcessor,
    StaffNoticeSender,
    StaffNoticeProcessor,
    CustomerNotificationDelivery,
    CustomerNotificationProcessor,
    CustomerNotificationSweeper,
  ],
  exports: [CustomerNotificationSweeper],
})
export class NotificationsWorkerModule {}
