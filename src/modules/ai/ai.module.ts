import { Module } from '@nestjs/common';
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
    {
      provide: LlmClient,
      inject: [AppConfig],
      // Without a key the client is never called (AiResponder.available is false), but
      // the SDK refuses to be built without one.
      useFactory: (config: AppConfig) =>
        new LlmClient({
          apiKey: config.openai.apiKey ?? 'not-configured',
          baseUrl: config.openai.baseUrl,
          model: config.openai.model,
          timeoutMs: config.openai.timeoutMs,
        }),
    },
  ],
  exports: [AiSettingsService, AiResponder],
})
export class AiModule {}
