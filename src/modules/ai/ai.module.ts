import { Module, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { AuditModule } from '../audit/audit.module.js';
import { TenantBreakers } from './llm/breakers.js';
import { LlmClient } from './llm/llm-client.js';
import { AiSettingsController } from './settings/ai-settings.controller.js';
import { AiSettingsService } from './settings/ai-settings.service.js';
import { AiResponder } from './turns/ai-responder.js';

@Module({
  imports: [AuditModule],
  controllers: [AiSettingsController],
  providers: [
    AiSettingsService,
    AiResponder,
    { provide: TenantBreakers, useFactory: () => new TenantBreakers() },
    // Without OPENAI_API_KEY the client is built unconfigured and never called.
    { provide: LlmClient, inject: [AppConfig], useFactory: (config: AppConfig) => new LlmClient(config.openai) },
  ],
  exports: [AiSettingsService, AiResponder],
})
export class AiModule implements OnModuleDestroy {
  constructor(private readonly breakers: TenantBreakers) {}

  onModuleDestroy(): void {
    this.breakers.close();
  }
}
