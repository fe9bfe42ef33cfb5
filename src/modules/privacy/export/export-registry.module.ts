import { Global, Module } from '@nestjs/common';
import { ExportContributors } from './export-contributors.js';

/**
 * Global so that a module contributing to exports (invoices) needs only to list its
 * contributor among its providers, without importing privacy's feature modules.
 */
@Global()
@Module({
  providers: [ExportContributors],
  exports: [ExportContributors],
})
export class ExportRegistryModule {}
