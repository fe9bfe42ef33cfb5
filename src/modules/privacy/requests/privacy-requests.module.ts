import { Module } from '@nestjs/common';
import { ExportFiles } from './export-files.js';
import { PrivacyRequests } from './privacy-requests.service.js';

/** Export and erasure requests, their jobs on the `privacy` queue, and signed downloads. */
@Module({
  providers: [PrivacyRequests, ExportFiles],
  exports: [PrivacyRequests, ExportFiles],
})
export class PrivacyRequestsModule {}
