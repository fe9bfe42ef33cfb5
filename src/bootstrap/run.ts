import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from '../app.module.js';
import { createRootLogger, PinoNestLogger } from '../common/logging/logger.js';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config.js';
import { ensureDatabaseExists } from '../database/ensure-database.js';
import { applyMigrations } from '../database/migrator.js';
import { createHttpApp } from './create-http-app.js';
import { preflight, PreflightError } from './preflight.js';
import { seedDemo } from './seed-demo.js';

/**
 * Boots Hawker for `APP_ROLE`: checks its servers, applies migrations, seeds the demo
 * business on an empty database (development), then serves HTTP and/or runs workers.
 */
export async function run(roleOverride?: 'worker'): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(roleOverride ? { ...process.env, APP_ROLE: roleOverride } : process.env);
    await preflight(config);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PreflightError) {
      process.stderr.write(`hawker: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createRootLogger(config.logLevel);
  for (const name of config.devDefaultsUsed)
    logger.warn(`${name} is not set: using a development default (never do this in production)`);
  if (config.database.migrateOnStart) {
    if (await ensureDatabaseExists(config.database.url)) logger.info('created the database');
    const applied = await applyMigrations(config);
    if (applied.length) logger.info({ applied }, 'applied migrations');
  }
  const app = config.role === 'worker' ? await startWorker(config, logger) : await startApi(config, logger);
  if (config.seedDemo) await announceDemo(app, config);
}

async function startApi(config: AppConfig, logger: PinoLogger): Promise<INestApplicationContext> {
  const app = await createHttpApp(config, logger);
  await app.listen(config.http.port, config.http.host);
  logger.info(`Hawker ${config.role === 'all' ? 'API and workers' : 'API'} listening on ${config.http.publicBaseUrl}`);
  return app;
}

async function startWorker(config: AppConfig, logger: PinoLogger): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.register(config), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  logger.info('Hawker workers running');
  return app;
}

async function announceDemo(app: INestApplicationContext, config: AppConfig): Promise<void> {
  const demo = await seedDemo(app);
  if (!demo.email) return;
  process.stdout.write(
    [
      '',
      demo.created ? 'Seeded a demo business.' : 'Demo business ready.',
      `  Sign in: POST ${config.http.publicBaseUrl}/v1/auth/login  {"email":"${demo.email}","password":"${demo.password}"}`,
      `  API docs: ${config.http.publicBaseUrl}/docs`,
      '  Chat with it as a customer: npm run chat',
      '',
    ].join('\n') + '\n',
  );
}
