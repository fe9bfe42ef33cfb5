import { Process, Processor } from '@nestjs/bull';
import { Queues } from '../../../queues/queue-names.js';
import { ExportExpiry } from './export-expiry.service.js';
import { MessageRetention } from './message-retention.service.js';
import { PRIVACY_RETENTION_JOB } from './retention.schedule.js';

@Processor(Queues.maintenance)
export class RetentionProcessor {
  constructor(
    private readonly exports: ExportExpiry,
    private readonly messages: MessageRetention,
  ) {}

  @Process(PRIVACY_RETENTION_JOB)
  async run(): Promise<{ exportsExpired: number; messagesDeleted: number }> {
    const exportsExpired = await this.exports.purgeExpired();
    const messagesDeleted = await this.messages.enforce();
    return { exportsExpired, messagesDeleted };
  }
}
