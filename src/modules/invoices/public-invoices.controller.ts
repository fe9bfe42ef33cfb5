import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/route-access.js';
import { PublicInvoicesService } from './public-invoices.service.js';

/**
 * The link a customer opens from the chat. Public to sign-in: the signed, expiring token
 * is the credential. The global per-address rate limit applies (no `@RateLimit('none')`).
 */
@ApiTags('invoices')
@Controller('v1/public/invoices')
export class PublicInvoicesController {
  constructor(private readonly invoices: PublicInvoicesService) {}

  @Public()
  @ApiParam({ name: 'token', description: 'The signed token from the invoice link' })
  @ApiProduces('application/pdf')
  // The invoice's status changes (issued → paid): never serve a stale copy from a cache.
  @Header('cache-control', 'private, no-store')
  @Header('referrer-policy', 'no-referrer')
  @Get(':token')
  async open(@Param('token') token: string): Promise<StreamableFile> {
    const { filename, pdf } = await this.invoices.open(token);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="${filename}"`,
      length: pdf.length,
    });
  }
}
