import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../../../common/http/pagination.js';
import { STAFF_MODES } from '../staff-actions.js';

export type InboxMode = (typeof STAFF_MODES)[number];

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STAFF_MODES, description: 'Only this mode; both by default' })
  @IsOptional()
  @IsIn(STAFF_MODES)
  mode?: InboxMode;

  @ApiPropertyOptional({
    description: '`me`, `none` (waiting for someone) or a member id',
    example: 'me',
  })
  @IsOptional()
  @Matches(/^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: 'assignee must be me, none or a uuid',
  })
  assignee?: string;
}
