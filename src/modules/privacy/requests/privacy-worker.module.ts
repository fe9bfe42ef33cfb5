import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module.js';
import { ContactErasure } from '../erasure/contact-erasure.js';
import { DataExport } from '../export/data-export.js';
import { ExportExpiry } from '../retention/export-expiry.service.js';
import { MessageRetention } from '../retention/message-retention.service.js';
import { RetentionProcessor } from '../retention/retention.processor.js';
import { RetentionSchedule } from '../retention/retention.schedule.js';
import { PrivacyRequestRunner } from './privacy-request-runner.js';
import { PrivacyRequestProcessor } from './privacy-request.processor.js';
import { PrivacyRequestSweeper } from './privacy-request.sweeper.js';
import { PrivacyRequestsModule } from './privacy-requests.module.js';
import { RequestClaims } from './request-claims.js';

/**
 * Privacy's background work: the `privacy` queue's processor (exports and erasures), its
 * sweeper, and the retention schedule on the `maintenance` queue. Loaded only where
 * APP_ROLE runs workers.
 */
@Module({
  imports: [PrivacyRequestsModule, AuditModule],
  providers: [
    RequestClaims,
    DataExport,
    ContactErasure,
    PrivacyRequestRunner,
    PrivacyRequestProcessor,
    PrivacyRequestSweeper,
    ExportExpiry,
    MessageRetention,
    RetentionSchedule,
    RetentionProcessor,
  ],
  exports: [PrivacyRequestSweeper, MessageRetention, ExportExpiry],
})
export class PrivacyWorkerModule {}
