import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { CoreModule } from './core.module.js';
import { AdminModule } from './modules/admin/admin.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { ChannelsModule } from './modules/channels/channels.module.js';
import { ChannelConnectionsModule } from './modules/channels/connections/channel-connections.module.js';
import { PipelineWorkerModule } from './modules/channels/pipeline/pipeline-worker.module.js';
import { WebchatModule } from './modules/channels/webchat/webchat.module.js';
import { CommerceWorkerModule } from './modules/commerce/commerce-worker.module.js';
import { CommerceModule } from './modules/commerce/commerce.module.js';
import { ConversationsModule } from './modules/conversations/conversations.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { InvoicesModule } from './modules/invoices/invoices.module.js';
import { NotificationsWorkerModule } from './modules/notifications/notifications-worker.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { ConsentModule } from './modules/privacy/consent/consent.module.js';
import { MetaCallbacksModule } from './modules/privacy/meta/meta-callbacks.module.js';
import { PrivacyRequestsModule } from './modules/privacy/requests/privacy-requests.module.js';
import { PrivacyWorkerModule } from './modules/privacy/requests/privacy-worker.module.js';
import { TenantDeletionWorkerModule } from './modules/privacy/tenant-deletion/tenant-deletion-worker.module.js';
import { TenantDeletionModule } from './modules/privacy/tenant-deletion/tenant-deletion.module.js';
import { PaymentsWorkerModule } from './modules/payments/payments-worker.module.js';
import { PaymentsModule } from './modules/payments/payments.module.js';
import { TenantsModule } from './modules/tenants/tenants.module.js';

/** The HTTP API and the workers share one module graph; `APP_ROLE` decides what runs. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    const workers =
      config.role === 'api'
        ? []
        : [
            PipelineWorkerModule,
            NotificationsWorkerModule,
            CommerceWorkerModule,
            PaymentsWorkerModule,
            PrivacyWorkerModule,
            TenantDeletionWorkerModule,
          ];
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config),
        HealthModule,
        AuditModule,
        TenantsModule,
        AuthModule,
        AdminModule,
        CommerceModule,
        ChannelConnectionsModule,
        ChannelsModule,
        WebchatModule,
        ConversationsModule,
        NotificationsModule,
        InvoicesModule,
        PaymentsModule,
        ConsentModule,
        PrivacyRequestsModule,
        TenantDeletionModule,
        MetaCallbacksModule,
        ...workers,
      ],
    };
  }
}
