import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

const urlOptions = { require_tld: false, require_protocol: true };
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/**
 * Every environment variable Hawker reads, as it arrives. Validated once at boot;
 * the rest of the code sees only the typed `AppConfig` built from it.
 */
export class EnvVars {
  @IsOptional() @IsIn(['development', 'test', 'production']) NODE_ENV?: string;
  @IsOptional() @IsIn(['all', 'api', 'worker']) APP_ROLE?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional() @IsUrl(urlOptions) PUBLIC_BASE_URL?: string;
  @IsOptional() @IsString() DATABASE_URL?: string;
  @IsOptional() @IsString() REDIS_URL?: string;
  @IsOptional() @IsString() @MinLength(1) REDIS_PREFIX?: string;
  @IsOptional() @IsString() @MinLength(32) JWT_SECRET?: string;
  @IsOptional() @IsString() ENCRYPTION_KEY?: string;
  @IsOptional() @IsString() META_APP_SECRET?: string;
  @IsOptional() @IsString() META_VERIFY_TOKEN?: string;
  @IsOptional() @IsUrl(urlOptions) META_GRAPH_BASE_URL?: string;
  @IsOptional() @IsString() META_GRAPH_VERSION?: string;
  @IsOptional() @IsUrl(urlOptions) PAYSTACK_BASE_URL?: string;
  @IsOptional() @IsString() @Matches(/^[a-z0-9.-]+\.[a-z]{2,}$/) PAYSTACK_CUSTOMER_EMAIL_DOMAIN?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(43_200) CHECKOUT_TTL_MINUTES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(60) INVOICE_LINK_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) MAINTENANCE_INTERVAL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) PRIVACY_EXPORT_LINK_TTL_SECONDS?: number;
  @IsOptional() @IsString() @MinLength(1) PRIVACY_EXPORT_DIR?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) TENANT_DELETION_GRACE_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(36_500) MESSAGE_RETENTION_DAYS?: number;
  @IsOptional() @IsString() OPENAI_API_KEY?: string;
  @IsOptional() @IsUrl(urlOptions) OPENAI_BASE_URL?: string;
  @IsOptional() @IsString() OPENAI_MODEL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) AI_TIMEOUT_MS?: number;
  @IsOptional() @IsString() SMTP_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) STAFF_ALERT_DELAY_MS?: number;
  @IsOptional() @Transform(toList) @IsEmail({}, { each: true }) PLATFORM_ADMIN_EMAILS?: string[];
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  @IsOptional() @Transform(toList) @IsString({ each: true }) CORS_ORIGINS?: string[];
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_PER_MINUTE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) AUTH_RATE_LIMIT_PER_MINUTE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) DELIVERY_RETRY_BASE_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) WHATSAPP_MESSAGES_PER_SECOND?: number;
  @IsOptional() @IsString() TRUST_PROXY?: string;
  @IsOptional() @IsIn(['true', 'false']) MIGRATE_ON_START?: string;
  @IsOptional() @IsIn(['true', 'false']) SEED_DEMO?: string;
}
