import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RecordPaymentDto {
  @ApiProperty({ enum: ['bank_transfer'], description: 'Paystack payments are recorded by their webhook' })
  @IsIn(['bank_transfer'])
  method!: 'bank_transfer';

  @ApiProperty({ description: 'What arrived, in minor units; must equal the order total', example: 650000 })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor!: number;

  @ApiProperty({ maxLength: 100, description: 'The bank’s reference for the transfer; one payment per reference' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  @Matches(/^[\x20-\x7E]+$/, { message: 'reference must be printable ASCII' })
  reference!: string;
}
