import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsString, Length, Matches } from 'class-validator';
import { IsWebOrigin, normaliseOrigins } from './web-origin.js';

/** Field rules shared by the create and update DTOs; each DTO decides what is required. */

const META_ID = /^\d{1,64}$/;
// Printable ASCII without spaces: a token travels in an Authorization header.
const ACCESS_TOKEN = /^[\x21-\x7e]{16,2048}$/;
const DISPLAY_PHONE = /^\+?\d[\d ()-]{2,30}$/;
export const MAX_ALLOWED_ORIGINS = 20;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const apiProperty = (required: boolean, options: Parameters<typeof ApiProperty>[0]) =>
  required ? ApiProperty(options) : ApiPropertyOptional(options);

export const MetaIdField = (description: string, example: string, required = true) =>
  applyDecorators(
    apiProperty(required, { description, example, pattern: META_ID.source }),
    Matches(META_ID, { message: '$property must be a numeric Meta id' }),
  );

export const AccessTokenField = (required = true) =>
  applyDecorators(
    apiProperty(required, {
      description: 'A Meta access token for this account. Checked with Meta, stored encrypted, never shown again.',
      writeOnly: true,
      minLength: 16,
      maxLength: 2048,
    }),
    Matches(ACCESS_TOKEN, { message: '$property must be 16 to 2048 printable characters without spaces' }),
  );

export const NameField = (required = true) =>
  applyDecorators(
    apiProperty(required, { example: 'Main shop line', maxLength: 200 }),
    Transform(trim),
    IsString(),
    Length(1, 200),
  );

export const DisplayPhoneNumberField = () =>
  applyDecorators(
    ApiPropertyOptional({ example: '+234 801 234 5678', nullable: true }),
    Transform(trim),
    Matches(DISPLAY_PHONE, { message: '$property must be a phone number' }),
  );

export const AllowedOriginsField = (required = true) =>
  applyDecorators(
    apiProperty(required, {
      description: 'Origins of the sites that may embed the web chat',
      type: [String],
      example: ['https://shop.example'],
      minItems: 1,
      maxItems: MAX_ALLOWED_ORIGINS,
    }),
    Transform(normaliseOrigins),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_ALLOWED_ORIGINS),
    IsWebOrigin({ each: true }),
    ArrayUnique(),
  );
