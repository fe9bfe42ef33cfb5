import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { isEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateBy } from 'class-validator';
import { ROLES, type Role } from '../../../common/auth/roles.js';

const normaliseEmail = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `@IsEmail()`, minus its throw: validator's isEmail measures bytes with encodeURI, which throws on half a surrogate pair. */
const IsEmailAddress = () =>
  ValidateBy({
    name: 'isEmail',
    validator: {
      validate: (value) => typeof value === 'string' && !LONE_SURROGATE.test(value) && isEmail(value),
      defaultMessage: () => '$property must be an email',
    },
  });

// 10 characters at least (NIST 800-63B asks for 8; we ask a little more). The upper bound
// keeps hashing cost bounded for hostile inputs.
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export class SignupDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(normaliseEmail)
  @IsEmailAddress()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  password!: string;

  @ApiProperty({ example: 'Ada Obi' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: "Ada's Kitchen" })
  @IsString()
  @Length(1, 200)
  businessName!: string;
}

export class LoginDto {
  @ApiProperty()
  @Transform(normaliseEmail)
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX)
  password!: string;

  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'totpCode must be 6 digits' })
  totpCode?: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  refreshToken!: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;
}

export class InviteDto {
  @ApiProperty()
  @Transform(normaliseEmail)
  @IsEmailAddress()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class AcceptInvitationDto {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  token!: string;

  @ApiPropertyOptional({ description: 'For a new account' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ description: 'For a new account', minLength: PASSWORD_MIN })
  @IsOptional()
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX)
  password?: string;
}
