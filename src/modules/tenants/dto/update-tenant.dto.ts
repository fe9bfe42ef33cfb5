import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsTimeZone } from '../../../common/http/validators.js';

const CURRENCIES = Intl.supportedValuesOf('currency');

/** May be left out, but not sent as null: the column has no "unset" state. */
const OmittableNotNull = () => ValidateIf((_object, value) => value !== undefined);

export class UpdateTenantDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @OmittableNotNull()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: 'NGN', description: 'ISO 4217 code' })
  @OmittableNotNull()
  @IsIn(CURRENCIES, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({ example: 'Africa/Lagos' })
  @OmittableNotNull()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ example: 'en-NG' })
  @OmittableNotNull()
  @MaxLength(35)
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'locale must be a BCP 47 tag such as en-NG' })
  locale?: string;
}
