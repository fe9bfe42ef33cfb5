import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../../../common/http/pagination.js';
import { CHANNEL_STATUSES, CHANNEL_TYPES, type ChannelStatus, type ChannelType } from '../entities/channel.entity.js';

export class ListChannelsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CHANNEL_TYPES })
  @IsOptional()
  @IsIn(CHANNEL_TYPES)
  type?: ChannelType;

  @ApiPropertyOptional({ enum: CHANNEL_STATUSES })
  @IsOptional()
  @IsIn(CHANNEL_STATUSES)
  status?: ChannelStatus;
}
