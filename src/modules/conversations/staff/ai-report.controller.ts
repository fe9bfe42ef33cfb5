import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Ctx, TenantRoute } from '../../../common/auth/route-access.js';
import { AiReportService } from './ai-report.service.js';

class AiReportQuery {
  @ApiPropertyOptional({ description: 'Start of the period (ISO 8601); default 30 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period, exclusive (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

@ApiTags('ai')
@Controller('v1/tenants/:tenantId/ai-report')
export class AiReportController {
  constructor(private readonly reports: AiReportService) {}

  @TenantRoute('owner', 'admin')
  @Get()
  report(@Ctx() ctx: TenantContext, @Query() query: AiReportQuery) {
    return this.reports.report(ctx, query);
  }
}
