import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PAYMENT_METHODS, type PaymentMethod } from './payment-methods.js';

/** Paystack secret keys: `sk_test_…` in test mode, `sk_live_…` live (PLATFORM-APIS §5). */
export const PAYSTACK_SECRET_KEY = /^sk_(test|live)_[A-Za-z0-9]{8,128}$/;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class PutPaymentSettingsDto {
  @ApiProperty({ enum: PAYMENT_METHODS, isArray: true, description: 'The ways customers may pay; [] for none' })
  @IsArray()
  @ArrayMaxSize(PAYMENT_METHODS.length)
  @ArrayUnique()
  @IsIn(PAYMENT_METHODS, { each: true })
  methods!: PaymentMethod[];

  @ApiPropertyOptional({
    nullable: true,
    example: 'sk_test_…',
    description:
      'Omit to keep the stored key, null to remove it (409 paystack_key_in_use while unpaid orders have Paystack ' +
      'links). Never shown again, except its last 4 characters.',
  })
  @IsOptional()
  @IsString()
  @Matches(PAYSTACK_SECRET_KEY, { message: 'paystackSecretKey must be a Paystack secret key (sk_test_… or sk_live_…)' })
  paystackSecretKey?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    maxLength: 1000,
    description: 'What the customer is told: bank, account name and number. Omit to keep, null to remove.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  bankTransferInstructions?: string | null;
}
