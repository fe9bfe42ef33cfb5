import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  AllowedWhilePendingDeletion,
  Ctx,
  Origin,
  type RequestOrigin,
  TenantRoute,
} from '../../../common/auth/route-access.js';
import type { TenantContext } from '../../../common/auth/roles.js';
import { PageQuery } from '../../../common/http/pagination.js';
import { CreatePrivacyRequestDto } from './dto/create-privacy-request.dto.js';
import { DownloadExportQuery } from './dto/download-export.query.js';
import { ExportDownloads } from './export-downloads.service.js';
import { PrivacyRequests } from './privacy-requests.service.js';

/** Exports and erasures of a business's data: its owners' and admins' business only. */
@ApiTags('privacy')
// A business waiting for deletion may still take its data out.
@AllowedWhilePendingDeletion()
@Controller('v1/tenants/:tenantId/privacy-requests')
export class PrivacyRequestsController {
  constructor(
    private readonly requests: PrivacyRequests,
    private readonly downloads: ExportDownloads,
  ) {}

  @TenantRoute('owner', 'admin')
  @HttpCode(202)
  @Post()
  create(@Ctx() ctx: TenantContext, @Body() dto: CreatePrivacyRequestDto, @Origin() origin: RequestOrigin) {
    return this.requests.create(ctx, dto, origin);
  }

  @TenantRoute('owner', 'admin')
  @Get()
  list(@Ctx() ctx: TenantContext, @Query() query: PageQuery) {
    return this.requests.list(ctx, query);
  }

  @TenantRoute('owner', 'admin')
  @ApiParam({ name: 'requestId', format: 'uuid' })
  @Get(':requestId')
  get(@Ctx() ctx: TenantContext, @Param('requestId') requestId: string) {
    return this.requests.read(ctx, requestId);
  }

  @TenantRoute('owner', 'admin')
  @ApiParam({ name: 'requestId', format: 'uuid' })
  @ApiProduces('application/zip')
  @Header('cache-control', 'private, no-store')
  @Header('referrer-policy', 'no-referrer')
  @Get(':requestId/download')
  async download(
    @Ctx() ctx: TenantContext,
    @Param('requestId') requestId: string,
    @Query() query: DownloadExportQuery,
    @Origin() origin: RequestOrigin,
  ): Promise<StreamableFile> {
    const { filename, stream, size } = await this.downloads.open(ctx, requestId, query.token, origin);
    return new StreamableFile(stream, {
      type: 'application/zip',
      disposition: `attachment; filename="${filename}"`,
      length: size,
    });
  }
}
