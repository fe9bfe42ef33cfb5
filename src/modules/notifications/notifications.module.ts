import { Module } from '@nestjs/common';
import { CommerceModule } from '../commerce/commerce.module.js';
import { ConversationEventsModule } from '../conversations/events/conversation-events.module.js';
import { CustomerNotifications } from './customer/customer-notifications.service.js';
import { StaffAlertScheduler } from './staff-alerts/staff-alert-scheduler.service.js';
import { StaffNotices } from './staff-notices/staff-notices.service.js';

/**
 * The notifications every process needs: listeners that turn events into scheduled
 * jobs, and the recorders other modules call inside their transactions. Loaded by API
 * and worker processes alike. Sending happens in `NotificationsWorkerModule`.
 */
@Module({
  imports: [ConversationEventsModule, CommerceModule],
  providers: [StaffAlertScheduler, CustomerNotifications, StaffNotices],
  exports: [CustomerNotifications, StaffNotices],
})
export class NotificationsModule {}
