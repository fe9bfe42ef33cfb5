import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PRIVACY_REQUEST_TYPES, type PrivacyRequestType } from '../privacy-request.views.js';

export class CreatePrivacyRequestDto {
  @ApiProperty({ enum: PRIVACY_REQUEST_TYPES, example: 'export' })
  @IsIn(PRIVACY_REQUEST_TYPES)
  type!: PrivacyRequestType;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The contact whose data to export or erase. Without it, an export covers the whole business.',
  })
  @IsOptional()
  @IsUUID()
  contactId?: string;
}
