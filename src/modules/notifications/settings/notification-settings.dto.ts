import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

/** A message template the business has had approved by Meta (WhatsApp Manager). */
export class WhatsAppTemplateDto {
  @ApiProperty({ maxLength: 512, example: 'order_update', description: 'Lowercase letters, digits and underscores' })
  @IsString()
  @MaxLength(512)
  @Matches(/^[a-z0-9_]+$/, { message: 'name must be lowercase letters, digits and underscores' })
  name!: string;

  @ApiProperty({ example: 'en_US', description: 'The template language, as in WhatsApp Manager: `en` or `en_US`' })
  @IsString()
  @Matches(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: 'languageCode must look like en or en_US' })
  languageCode!: string;
}

export class PutNotificationSettingsDto {
  @ApiProperty({
    type: WhatsAppTemplateDto,
    nullable: true,
    description:
      'Sent when a WhatsApp customer last wrote more than 24 hours ago. Its body takes two parameters: ' +
      '{{1}} the order number, {{2}} a one-line update. Null: such customers are not messaged and staff are told.',
  })
  // Required: null turns templates off, and a missing field must not be read as null.
  @ValidateIf((dto: PutNotificationSettingsDto) => dto.whatsappTemplate !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => WhatsAppTemplateDto)
  whatsappTemplate!: WhatsAppTemplateDto | null;
}
