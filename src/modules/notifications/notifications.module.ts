import { Module } from '@nestjs/common';
import { ConversationEventsModule } from '../conversations/events/conversation-events.module.js';
import { StaffAlertScheduler } from './staff-alerts/staff-alert-scheduler.service.js';

/**
 * The notifications every process needs: listeners that turn events into scheduled
 * jobs. Loaded by API and worker processes alike, because an event is heard only in the
 * process that publishes it. Sending happens in `NotificationsWorkerModule`.
 */
@Module({
  imports: [ConversationEventsModule],
  providers: [StaffAlertScheduler],
})
export class NotificationsModule {}
