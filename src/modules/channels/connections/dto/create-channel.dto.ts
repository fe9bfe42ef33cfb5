import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  AccessTokenField,
  AllowedOriginsField,
  DisplayPhoneNumberField,
  MetaIdField,
  NameField,
} from './channel-fields.js';

/**
 * One DTO per channel type: the body's `type` picks it (CreateChannelPipe), so a field of
 * another type is an unknown field and refused by name.
 */
export class CreateWhatsAppChannelDto {
  @ApiProperty({ enum: ['whatsapp'] })
  @IsIn(['whatsapp'])
  type!: 'whatsapp';

  @MetaIdField('WhatsApp Cloud API phone number id', '106540352242922')
  phoneNumberId!: string;

  @MetaIdField('WhatsApp Business Account id', '102290129340398')
  businessAccountId!: string;

  @AccessTokenField()
  accessToken!: string;

  @IsOptional()
  @DisplayPhoneNumberField()
  displayPhoneNumber?: string;

  @IsOptional()
  @NameField(false)
  name?: string;
}

export class CreateInstagramChannelDto {
  @ApiProperty({ enum: ['instagram'] })
  @IsIn(['instagram'])
  type!: 'instagram';

  @MetaIdField('Instagram professional account id', '17841400000000000')
  instagramAccountId!: string;

  @AccessTokenField()
  accessToken!: string;

  @IsOptional()
  @MetaIdField('Facebook page linked to the account', '100000000000000', false)
  pageId?: string;

  @IsOptional()
  @NameField(false)
  name?: string;
}

export class CreateWebchatChannelDto {
  @ApiProperty({ enum: ['webchat'] })
  @IsIn(['webchat'])
  type!: 'webchat';

  @NameField()
  name!: string;

  @AllowedOriginsField()
  allowedOrigins!: string[];
}

export type CreateChannelDto = CreateWhatsAppChannelDto | CreateInstagramChannelDto | CreateWebchatChannelDto;
export type CreateMetaChannelDto = CreateWhatsAppChannelDto | CreateInstagramChannelDto;

export const CREATE_CHANNEL_DTOS = {
  whatsapp: CreateWhatsAppChannelDto,
  instagram: CreateInstagramChannelDto,
  webchat: CreateWebchatChannelDto,
} as const;
