import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination.js';
import { INVOICE_STATUSES, type InvoiceStatus } from '../invoice.views.js';

export class ListInvoicesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INVOICE_STATUSES, description: 'Only invoices in this status' })
  @IsOptional()
  @IsIn(INVOICE_STATUSES)
  status?: InvoiceStatus;
}
