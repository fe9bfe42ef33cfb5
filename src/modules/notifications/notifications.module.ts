import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CommerceModule } from '../commerce/commerce.module.js';
import { ConversationEventsModule } from '../conversations/events/conversation-events.module.js';
import { CustomerNotificationQueue } from './customer/customer-notification.queue.js';
import { CustomerNotifications } from './customer/customer-notifications.service.js';
import { OrderStatusNotices } from './customer/order-status-notices.service.js';
import { NotificationSettingsController } from './settings/notification-settings.controller.js';
import { NotificationSettingsService } from './settings/notification-settings.service.js';
import { StaffAlertScheduler } from './staff-alerts/staff-alert-scheduler.service.js';
import { StaffNotices } from './staff-notices/staff-notices.service.js';

/**
 * The notifications every process needs: listeners that turn events into recorded
 * notifications and scheduled jobs, the recorders other modules call inside their
 * transactions, and the settings API. Loaded by API and worker processes alike. Sending
 * happens in `NotificationsWorkerModule`.
 */
@Module({
  imports: [ConversationEventsModule, CommerceModule, AuditModule],
  controllers: [NotificationSettingsController],
  providers: [
    StaffAlertScheduler,
    CustomerNotificationQueue,
    CustomerNotifications,
    OrderStatusNotices,
    StaffNotices,
    NotificationSettingsService,
  ],
  exports: [CustomerNotifications, CustomerNotificationQueue, StaffNotices, NotificationSettingsService],
})
export class NotificationsModule {}
