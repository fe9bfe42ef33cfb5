import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import type { TenantContext } from '../../../common/auth/roles.js';
import { ChannelConnectionsService } from './channel-connections.service.js';
import { ChannelsService } from './channels.service.js';
import {
  CreateInstagramChannelDto,
  CreateWebchatChannelDto,
  CreateWhatsAppChannelDto,
  type CreateChannelDto,
} from './dto/create-channel.dto.js';
import { CreateChannelPipe } from './dto/create-channel.pipe.js';
import { ListChannelsQuery } from './dto/list-channels.dto.js';
import { UpdateChannelDto } from './dto/update-channel.dto.js';

const CREATE_BODY = {
  schema: {
    oneOf: [CreateWhatsAppChannelDto, CreateInstagramChannelDto, CreateWebchatChannelDto].map((dto) => ({
      $ref: getSchemaPath(dto),
    })),
    discriminator: { propertyName: 'type' },
  },
};

@ApiTags('channels')
@ApiExtraModels(CreateWhatsAppChannelDto, CreateInstagramChannelDto, CreateWebchatChannelDto)
@Controller('v1/tenants/:tenantId/channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly connections: ChannelConnectionsService,
  ) {}

  @TenantRoute('owner', 'admin')
  @ApiBody(CREATE_BODY)
  @Post()
  connect(
    @Ctx() ctx: TenantContext,
    @Body(new CreateChannelPipe()) dto: CreateChannelDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.connections.connect(ctx, dto, origin);
  }

  @TenantRoute()
  @Get()
  list(@Ctx() ctx: TenantContext, @Query() query: ListChannelsQuery) {
    return this.channels.list(ctx, query);
  }

  @TenantRoute()
  @Get(':channelId')
  get(@Ctx() ctx: TenantContext, @Param('channelId') channelId: string) {
    return this.channels.view(ctx, channelId);
  }

  @TenantRoute('owner', 'admin')
  @Patch(':channelId')
  update(
    @Ctx() ctx: TenantContext,
    @Param('channelId') channelId: string,
    @Body() dto: UpdateChannelDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.connections.update(ctx, channelId, dto, origin);
  }

  @TenantRoute('owner', 'admin')
  @HttpCode(204)
  @Delete(':channelId')
  async disconnect(
    @Ctx() ctx: TenantContext,
    @Param('channelId') channelId: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.connections.disconnect(ctx, channelId, origin);
  }

  @TenantRoute('owner', 'admin')
  @HttpCode(200)
  @Post(':channelId/check')
  check(@Ctx() ctx: TenantContext, @Param('channelId') channelId: string, @Origin() origin: RequestOrigin) {
    return this.connections.check(ctx, channelId, origin);
  }
}
