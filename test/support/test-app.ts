import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../../src/bootstrap/create-http-app.js';
import { createRootLogger } from '../../src/common/logging/logger.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { deleteRedisPrefix } from './private-redis.js';
import { createTestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Base URL of the running server: tests talk real HTTP. */
  url: string;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  databaseUrl: string;
  close: () => Promise<void>;
}

export const TEST_ENV = {
  NODE_ENV: 'test',
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
  ENCRYPTION_KEY: `t1:${Buffer.alloc(32, 7).toString('base64')}`,
  META_APP_SECRET: 'test-meta-app-secret',
  META_VERIFY_TOKEN: 'test-verify-token',
  AUTH_RATE_LIMIT_PER_MINUTE: '10000',
  RATE_LIMIT_PER_MINUTE: '100000',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  SEED_DEMO: 'false',
  PLATFORM_ADMIN_EMAILS: 'root@hawker.test',
};

/** Starts Hawker on its own database and Redis prefix, listening on a free port. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const prefix = `test:${randomUUID()}`;
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: database.url, REDIS_PREFIX: prefix, PORT: '0', ...env });
  const app = await createHttpApp(config, createRootLogger(config.logLevel));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    app,
    config,
    url,
    http: () => request(url),
    dataSource: app.get(DataSource),
    databaseUrl: database.url,
    close: async () => {
      await app.close();
      await deleteRedisPrefix(config.redis.url, prefix);
      await database.drop();
    },
  };
}
