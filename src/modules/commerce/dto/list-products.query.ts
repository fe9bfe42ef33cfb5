import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination.js';

const booleanString = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListProductsQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'Only active (true) or inactive (false) products' })
  @IsOptional()
  @Transform(booleanString)
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'Case-insensitive search in the name', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}
