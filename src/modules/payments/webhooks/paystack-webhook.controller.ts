import { Controller, HttpCode, Logger, Param, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../../common/auth/route-access.js';
import { AppError } from '../../../common/errors/app-error.js';
import { RateLimit } from '../../../common/http/rate-limit.js';
import { PaystackWebhookService } from './paystack-webhook.service.js';

/**
 * Paystack's webhook, one URL per business (its key signs the body). Authenticated by the
 * HMAC over the raw bytes: anything unsigned is refused before it is parsed or stored.
 */
@ApiTags('webhooks')
@Controller('v1/webhooks/paystack')
export class PaystackWebhookController {
  private readonly logger = new Logger(PaystackWebhookController.name);

  constructor(private readonly webhooks: PaystackWebhookService) {}

  // Paystack sends from three addresses in bursts and retries what is refused: the
  // signature, not a per-address limit, keeps strangers out.
  @Public()
  @RateLimit('none')
  @ApiExcludeEndpoint()
  @Post(':tenantId')
  @HttpCode(200)
  async receive(
    @Param('tenantId') tenantId: string,
    @Req() request: RawBodyRequest<FastifyRequest>,
  ): Promise<{ received: true }> {
    try {
      await this.webhooks.receive({
        tenantId,
        rawBody: request.rawBody,
        signature: request.headers['x-paystack-signature'],
        body: request.body,
      });
    } catch (error) {
      if (error instanceof AppError) throw error;
      // Not stored means not acknowledged: Paystack retries a non-200 for up to 72 hours.
      this.logger.error({ err: error }, 'Paystack webhook could not be stored');
      throw new AppError('unavailable', 'unavailable', 'Could not store the event; retry later');
    }
    return { received: true };
  }
}
