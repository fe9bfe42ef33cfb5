import { Body, Controller, Get, Header, HttpCode, Logger, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../../common/auth/route-access.js';
import { AppError } from '../../../common/errors/app-error.js';
import { AppConfig } from '../../../config/app-config.js';
import { deletionStatusPage, unknownRequestPage } from './deletion-status.page.js';
import { MetaCallbackErrors } from './meta-callbacks.errors.js';
import { MetaDataDeletionService, type DataDeletionAnswer } from './meta-data-deletion.service.js';
import { MetaDeauthorizeService } from './meta-deauthorize.service.js';
import { verifiedMetaUserId } from './signed-request-body.js';

/**
 * Meta's deauthorize and data-deletion callbacks (form-encoded `signed_request`, verified
 * before anything is looked up), and the public status page of a deletion request. Public
 * routes under the general per-address rate limit: Meta calls them rarely.
 */
@ApiExcludeController()
@Controller('v1/meta')
export class MetaCallbacksController {
  private readonly logger = new Logger(MetaCallbacksController.name);

  constructor(
    private readonly config: AppConfig,
    private readonly deauthorizer: MetaDeauthorizeService,
    private readonly deletion: MetaDataDeletionService,
  ) {}

  @Public()
  @HttpCode(200)
  @Post('deauthorize')
  async deauthorize(@Body() body: unknown): Promise<{ received: true }> {
    const userId = verifiedMetaUserId(body, this.config.meta.appSecret);
    await this.unlessFailing('deauthorize', () => this.deauthorizer.deauthorize(userId));
    return { received: true };
  }

  @Public()
  @HttpCode(200)
  @Post('data-deletion')
  async dataDeletion(@Body() body: unknown): Promise<DataDeletionAnswer> {
    const userId = verifiedMetaUserId(body, this.config.meta.appSecret);
    return this.unlessFailing('data deletion', () => this.deletion.request(userId));
  }

  @Public()
  @Get('data-deletion/:code')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('content-security-policy', "default-src 'none'")
  async status(@Param('code') code: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const status = await this.deletion.status(code);
    if (status) return deletionStatusPage(status);
    void reply.status(404);
    return unknownRequestPage();
  }

  /** Meta retries a callback that did not get a 200: say "later" rather than leak an error. */
  private async unlessFailing<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError) throw error;
      // Never the error itself: a failed query carries its parameters, Meta's user id among them.
      const reason = error instanceof Error ? error.name : 'unknown';
      this.logger.error({ reason }, `Meta ${what} callback failed`);
      throw MetaCallbackErrors.unavailable();
    }
  }
}
