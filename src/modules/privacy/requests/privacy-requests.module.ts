import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module.js';
import { ExportRegistryModule } from '../export/export-registry.module.js';
import { ErasedIdentities } from '../erasure/erased-identities.js';
import { ExportDownloads } from './export-downloads.service.js';
import { ExportFiles } from './export-files.js';
import { ExportLinkSigner } from './export-link-signer.js';
import { PrivacyRequestsController } from './privacy-requests.controller.js';
import { PrivacyRequests } from './privacy-requests.service.js';
import { PrivacyQueue } from './privacy.queue.js';

/**
 * Export and erasure requests: the API, signed downloads, and what other modules call
 * (`PrivacyRequests.scheduleErasure`, `ExportFiles.removeTenant`, `ErasedIdentities`).
 * The jobs themselves run in PrivacyWorkerModule.
 */
@Module({
  imports: [AuditModule, ExportRegistryModule],
  controllers: [PrivacyRequestsController],
  providers: [PrivacyRequests, ExportFiles, ExportLinkSigner, ExportDownloads, PrivacyQueue, ErasedIdentities],
  exports: [PrivacyRequests, ExportFiles, ExportLinkSigner, PrivacyQueue, ErasedIdentities],
})
export class PrivacyRequestsModule {}
