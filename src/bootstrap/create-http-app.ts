import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from '../app.module.js';
import { HttpErrorFilter } from '../common/errors/http-error.filter.js';
import { strictValidationPipe } from '../common/http/validation.js';
import { PinoNestLogger } from '../common/logging/logger.js';
import type { AppConfig } from '../config/app-config.js';
import { WebchatChannels } from '../modules/channels/webchat/webchat-channels.service.js';
import { webchatAwareCors } from '../modules/channels/webchat/webchat-cors.js';
import { MetricsService } from '../modules/health/metrics.service.js';

export const API_BODY_LIMIT = 1024 * 1024;
// A Meta delivery can batch 1,000 updates and reach 3 MB.
export const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;
// A web chat message is at most 2,000 characters: anything near this is not one.
export const WEBCHAT_BODY_LIMIT = 16 * 1024;
// Paystack events are small: anything near this is not one.
export const PAYSTACK_WEBHOOK_BODY_LIMIT = 64 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the HTTP API (not yet listening): Fastify, strict validation, one error shape, docs. */
export async function createHttpApp(config: AppConfig, rootLogger: PinoLogger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: rootLogger,
    bodyLimit: API_BODY_LIMIT,
    trustProxy: trustProxy(config.http.trustProxy),
    // Accept a caller's request id when it looks like one, so traces join up across services.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    logger: new PinoNestLogger(rootLogger),
    rawBody: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1/webhooks/')) route.bodyLimit = WEBHOOK_BODY_LIMIT;
    if (route.url.startsWith('/v1/webhooks/paystack/')) route.bodyLimit = PAYSTACK_WEBHOOK_BODY_LIMIT;
    if (route.url.startsWith('/v1/webchat/')) route.bodyLimit = WEBCHAT_BODY_LIMIT;
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observeHttp(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  await app.register(helmet, { contentSecurityPolicy: config.env === 'production' ? undefined : false });
  // Web chat routes admit their channel's own allowed origins; every other route the configured ones.
  app.enableCors(
    webchatAwareCors(app.get(WebchatChannels), {
      origin: config.http.corsOrigins.length ? config.http.corsOrigins : false,
      maxAge: 600,
    }),
  );
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  setUpDocs(app, config);
  return app;
}

function setUpDocs(app: NestFastifyApplication, config: AppConfig): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Hawker API')
      .setDescription('Sell through WhatsApp, Instagram and web chat. Tenant routes live under /v1/tenants/{tenantId}.')
      .setVersion('1')
      .addServer(config.http.publicBaseUrl)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

/** Fastify takes a hop count as a function of the hop: trust the nearest `hops` proxies. */
function trustProxy(setting: AppConfig['http']['trustProxy']) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;
}
