import { ValidateBy, ValidateIf, IsOptional } from 'class-validator';
import {
  AccessTokenField,
  AllowedOriginsField,
  DisplayPhoneNumberField,
  MetaIdField,
  NameField,
} from './channel-fields.js';

const present = (_: object, value: unknown) => value !== undefined;

/** Named so a client learns why, rather than meeting a generic "should not exist". */
const Immutable = () =>
  ValidateBy({
    name: 'immutable',
    validator: {
      validate: (value) => value === undefined,
      defaultMessage: () => '$property cannot be changed: disconnect this channel and connect the account anew',
    },
  });

/**
 * What may change on a connected channel. Which fields apply depends on the channel's type,
 * which only the stored channel knows: the service refuses a field of another type by name.
 * `null` clears the optional display fields; it is refused where a value is required.
 */
export class UpdateChannelDto {
  @ValidateIf(present)
  @NameField(false)
  name?: string;

  /** WhatsApp and Instagram. A new token is checked with Meta and makes the channel active again. */
  @ValidateIf(present)
  @AccessTokenField(false)
  accessToken?: string;

  /** WhatsApp. */
  @IsOptional()
  @DisplayPhoneNumberField()
  displayPhoneNumber?: string | null;

  /** Instagram. */
  @IsOptional()
  @MetaIdField('Facebook page linked to the account', '100000000000000', false)
  pageId?: string | null;

  /** Web chat. */
  @ValidateIf(present)
  @AllowedOriginsField(false)
  allowedOrigins?: string[];

  @Immutable() type?: never;
  @Immutable() phoneNumberId?: never;
  @Immutable() businessAccountId?: never;
  @Immutable() instagramAccountId?: never;
}

export type UpdateChannelField = Exclude<
  keyof UpdateChannelDto,
  'type' | 'phoneNumberId' | 'businessAccountId' | 'instagramAccountId'
>;
