import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../consent.service.js';

export class PutConsentDto {
  @ApiProperty({ enum: CONSENT_PURPOSES })
  @IsIn(CONSENT_PURPOSES)
  purpose!: ConsentPurpose;

  @ApiProperty({ description: 'true gives consent, false withdraws it' })
  @IsBoolean()
  granted!: boolean;
}
