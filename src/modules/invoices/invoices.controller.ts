import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../common/auth/roles.js';
import { Ctx, TenantRoute } from '../../common/auth/route-access.js';
import { ListInvoicesQuery } from './dto/list-invoices.query.js';
import { StaffInvoicesService } from './staff-invoices.service.js';

@ApiTags('invoices')
@Controller('v1/tenants/:tenantId/invoices')
export class InvoicesController {
  constructor(private readonly invoices: StaffInvoicesService) {}

  @TenantRoute()
  @Get()
  list(@Ctx() ctx: TenantContext, @Query() query: ListInvoicesQuery) {
    return this.invoices.list(ctx, query);
  }

  @TenantRoute()
  @ApiParam({ name: 'invoiceId', format: 'uuid' })
  @Get(':invoiceId')
  get(@Ctx() ctx: TenantContext, @Param('invoiceId') invoiceId: string) {
    return this.invoices.get(ctx, invoiceId);
  }

  @TenantRoute()
  @ApiParam({ name: 'invoiceId', format: 'uuid' })
  @ApiProduces('application/pdf')
  @Header('cache-control', 'private, no-store')
  @Get(':invoiceId/pdf')
  async pdf(@Ctx() ctx: TenantContext, @Param('invoiceId') invoiceId: string): Promise<StreamableFile> {
    const { filename, pdf } = await this.invoices.pdf(ctx, invoiceId);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="${filename}"`,
      length: pdf.length,
    });
  }
}
