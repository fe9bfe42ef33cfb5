import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';

const CURRENCIES = Intl.supportedValuesOf('currency');

/** 10^12 minor units: far above any real price, far below Number.MAX_SAFE_INTEGER. */
export const MAX_PRICE_MINOR = 1_000_000_000_000;
/** The `stock` column is a Postgres integer. */
const MAX_STOCK = 2_147_483_647;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** May be left out, but not sent as null: the column has no "unset" state. */
const OmittableNotNull = () => ValidateIf((_object, value) => value !== undefined);

// No property initialisers here: PartialType copies them, and an update must not reset
// `active` to a default. Defaults are applied in ProductsService.create.
export class CreateProductDto {
  @ApiProperty({ maxLength: 200, example: 'Jollof rice' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({
    description: 'Price in minor units (kobo, cents)',
    minimum: 1,
    maximum: MAX_PRICE_MINOR,
    example: 250000,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE_MINOR)
  priceMinor!: number;

  @ApiPropertyOptional({ example: 'NGN', description: "ISO 4217 code; defaults to the business's currency" })
  @OmittableNotNull()
  @IsIn(CURRENCIES, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    nullable: true,
    description: 'Unique within the business; the retailer id of the WhatsApp catalog item',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  sku?: string | null;

  @ApiPropertyOptional({ default: true })
  @OmittableNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ minimum: 0, nullable: true, description: 'Units in stock; null when not tracked' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock?: number | null;
}
