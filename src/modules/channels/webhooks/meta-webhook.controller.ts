import { Controller, Get, Header, HttpCode, Logger, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../../common/auth/route-access.js';
import { AppError } from '../../../common/errors/app-error.js';
import { RateLimit } from '../../../common/http/rate-limit.js';
import { AppConfig } from '../../../config/app-config.js';
import { secretsEqual } from '../../../common/crypto/tokens.js';
import { verifyMetaSignature } from '../meta/meta-signature.js';
import { parseMetaWebhook } from '../meta/meta-webhook.parser.js';
import { MetaIngestService } from './meta-ingest.service.js';

/**
 * Meta's webhook for WhatsApp and Instagram. Authenticated by the signature over the raw
 * bytes, not by a token: anything unsigned is refused before it is parsed or stored.
 */
@ApiTags('webhooks')
@Controller('v1/webhooks/meta')
export class MetaWebhookController {
  private readonly logger = new Logger(MetaWebhookController.name);

  constructor(
    private readonly config: AppConfig,
    private readonly ingest: MetaIngestService,
  ) {}

  /** The subscription handshake: echo the challenge when the verify token matches. */
  @Public()
  @RateLimit('none')
  @Get()
  @Header('content-type', 'text/plain; charset=utf-8')
  verify(@Query() query: Record<string, unknown>): string {
    const ok =
      query['hub.mode'] === 'subscribe' &&
      typeof query['hub.verify_token'] === 'string' &&
      secretsEqual(query['hub.verify_token'], this.config.meta.verifyToken) &&
      typeof query['hub.challenge'] === 'string';
    if (!ok) throw new AppError('forbidden', 'verification_failed', 'Webhook verification failed');
    return query['hub.challenge'] as string;
  }

  @Public()
  @RateLimit('none')
  @ApiExcludeEndpoint()
  @Post()
  @HttpCode(200)
  async receive(@Req() request: RawBodyRequest<FastifyRequest>): Promise<{ received: true }> {
    const signature = request.headers['x-hub-signature-256'];
    if (
      !request.rawBody ||
      !verifyMetaSignature(
        request.rawBody,
        typeof signature === 'string' ? signature : undefined,
        this.config.meta.appSecret,
      )
    ) {
      throw new AppError('unauthorized', 'invalid_signature', 'Missing or invalid X-Hub-Signature-256');
    }
    const events = parseMetaWebhook(request.body);
    try {
      const result = await this.ingest.ingest(events);
      if (events.skipped)
        this.logger.warn({ skipped: events.skipped }, 'webhook items skipped as malformed or unsupported');
      this.logger.debug(result, 'webhook ingested');
    } catch (error) {
      this.logger.error({ err: error }, 'webhook could not be stored');
      throw notStored(error);
    }
    return { received: true };
  }
}

/**
 * Not stored means not acknowledged: a 503, which Meta retries for days, never a 500. All
 * that ingesting waits on is Postgres (the enqueue after it cannot fail a delivery), so a
 * failure is Postgres being away — unless the inbox said otherwise (too much waiting).
 */
function notStored(error: unknown): AppError {
  if (error instanceof AppError && error.kind === 'unavailable') return error;
  return new AppError('unavailable', 'database_unavailable', 'Could not store the delivery; retry later');
}
