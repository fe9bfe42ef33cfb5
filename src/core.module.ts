import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from './common/crypto/secret-box.js';
import { RateLimitGuard } from './common/http/rate-limit.js';
import { RedisModule } from './common/redis/redis.module.js';
import { AppConfig } from './config/app-config.js';
import { appDataSourceOptions } from './database/data-source-options.js';
import { TenantDb } from './database/tenant-db.js';
import { QueuesModule } from './queues/queues.module.js';

/** Infrastructure every feature module stands on: config, Postgres, Redis, queues, crypto, rate limits. */
@Global()
@Module({})
export class CoreModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRoot({ ...appDataSourceOptions(config), autoLoadEntities: true }),
        RedisModule,
        QueuesModule,
        EventEmitterModule.forRoot(),
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: SecretBox, useValue: new SecretBox(config.encryptionKeys) },
        TenantDb,
        // Registered before the access guard: floods are refused before any token is checked.
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [AppConfig, SecretBox, TenantDb, RedisModule, QueuesModule],
    };
  }
}
