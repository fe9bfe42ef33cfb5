import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination.js';
import { MODES, type Mode } from '../conversation-state.js';

export class ListConversationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MODES, description: 'Only conversations in this mode' })
  @IsOptional()
  @IsIn(MODES)
  mode?: Mode;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only conversations on this channel' })
  @IsOptional()
  @IsUUID('all')
  channelId?: string;
}
