import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination.js';

export class ListContactsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Case-insensitive search in the display name or phone; `%` and `_` are literal',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}
