import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Length, Matches } from 'class-validator';

/** A Meta-approved WhatsApp message template, with the values of its body's {{1}}, {{2}} … */
export class SendTemplateDto {
  @ApiProperty({ example: 'weekend_offer', maxLength: 512 })
  @IsString()
  @Length(1, 512)
  @Matches(/^[a-z0-9_]+$/, { message: 'name must be a template name: lower-case letters, digits and _' })
  name!: string;

  @ApiProperty({ example: 'en_US' })
  @IsString()
  @Matches(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: 'languageCode must be a template language such as en or en_US' })
  languageCode!: string;

  @ApiProperty({ type: [String], maxItems: 20 })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 1024, { each: true })
  bodyParams!: string[];
}
