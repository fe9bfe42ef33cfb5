import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module.js';
import { ChannelConnectionsModule } from '../../channels/connections/channel-connections.module.js';
import { PrivacyRequestsModule } from '../requests/privacy-requests.module.js';
import { IdentityLookup } from './identity-lookup.js';
import { MetaCallbacksController } from './meta-callbacks.controller.js';
import { MetaDataDeletionService } from './meta-data-deletion.service.js';
import { MetaDeauthorizeService } from './meta-deauthorize.service.js';

/** Meta's deauthorize and data-deletion callbacks, and the public deletion status page. */
@Module({
  imports: [AuditModule, ChannelConnectionsModule, PrivacyRequestsModule],
  controllers: [MetaCallbacksController],
  providers: [MetaDeauthorizeService, MetaDataDeletionService, IdentityLookup],
})
export class MetaCallbacksModule {}
