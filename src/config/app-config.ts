import { createHash } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvVars } from './env.schema.js';

export type AppRole = 'all' | 'api' | 'worker';
export type NodeEnv = 'development' | 'test' | 'production';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The typed configuration every module receives; nothing else reads process.env. */
export class AppConfig {
  readonly env!: NodeEnv;
  readonly role!: AppRole;
  readonly http!: {
    host: string;
    port: number;
    publicBaseUrl: string;
    corsOrigins: string[];
    /**
     * Which proxies may set X-Forwarded-For: false (none), a hop count, or addresses/CIDRs.
     * Trusting every hop would let any client choose its own IP, and so escape rate limits.
     */
    trustProxy: boolean | number | string[];
    /** Requests a minute per client address, across all API instances. */
    rateLimitPerMinute: number;
    /** Sign-in and signup attempts a minute per client address. */
    authRateLimitPerMinute: number;
  };
  readonly database!: { url: string; migrateOnStart: boolean };
  readonly redis!: { url: string; prefix: string };
  readonly auth!: { jwtSecret: string; accessTokenTtlSeconds: number; refreshTokenTtlDays: number };
  /** The first key encrypts; every listed key can decrypt, so keys rotate without downtime. */
  readonly encryptionKeys!: EncryptionKey[];
  readonly meta!: { appSecret: string; verifyToken: string; graphBaseUrl: string; graphVersion: string };
  /** Outbound delivery: first retry delay (doubling after), and per-number pacing. */
  readonly delivery!: { retryBaseMs: number; messagesPerSecond: number };
  /**
   * Paystack needs an e-mail per transaction and chat customers rarely give one: each gets
   * a placeholder address under this domain, which the platform controls.
   */
  readonly paystack!: { baseUrl: string; customerEmailDomain: string };
  /** How long an unpaid checkout holds its stock before it is cancelled. */
  readonly commerce!: { checkoutTtlSeconds: number };
  /** How long a signed public invoice link stays valid. */
  readonly invoices!: { linkTtlSeconds: number };
  /** How often the maintenance schedule runs (checkout expiry, re-queuing stuck work). */
  readonly maintenance!: { intervalMs: number };
  readonly privacy!: {
    /** How long a finished export's signed download link works. */
    exportLinkTtlSeconds: number;
    /** Where export archives are written (one directory per tenant). */
    exportDir: string;
    /** Days a deleted business can be restored before its data is removed for good. */
    tenantDeletionGraceDays: number;
    /** Messages of resolved conversations older than this are purged; null keeps them. */
    messageRetentionDays: number | null;
  };
  readonly openai!: { apiKey?: string; baseUrl: string; model: string; timeoutMs: number };
  readonly smtpUrl?: string;
  /** How long an escalated conversation may wait unassigned before staff are e-mailed. */
  readonly notifications!: { staffAlertDelayMs: number };
  readonly platformAdminEmails!: string[];
  readonly logLevel!: string;
  readonly seedDemo!: boolean;
  /** Names of settings that fell back to development defaults, for a boot warning. */
  readonly devDefaultsUsed!: string[];
}

export class ConfigError extends Error {}

// Development-only fallbacks: stable across restarts so encrypted rows stay readable,
// and refused in production.
const DEV_JWT_SECRET = 'hawker-development-jwt-secret-do-not-use-in-production';
const DEV_ENCRYPTION_KEY = `dev:${createHash('sha256').update('hawker-development-encryption-key').digest('base64')}`;

export function loadConfig(rawEnv: Record<string, string | undefined> = process.env): AppConfig {
  const env = validateEnv(rawEnv);
  const nodeEnv = (env.NODE_ENV ?? 'development') as NodeEnv;
  const production = nodeEnv === 'production';
  const devDefaultsUsed: string[] = [];
  const secret = (
    name: 'JWT_SECRET' | 'ENCRYPTION_KEY' | 'META_APP_SECRET' | 'META_VERIFY_TOKEN',
    fallback: string,
  ) => {
    const value = env[name];
    if (value) return value;
    if (production) throw new ConfigError(`${name} is required when NODE_ENV=production`);
    devDefaultsUsed.push(name);
    return fallback;
  };
  const port = env.PORT ?? 3000;
  return Object.freeze({
    env: nodeEnv,
    role: (env.APP_ROLE ?? 'all') as AppRole,
    http: {
      host: env.HOST ?? '0.0.0.0',
      port,
      publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
      corsOrigins: env.CORS_ORIGINS ?? [],
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE ?? 600,
      authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE ?? 20,
    },
    database: {
      url: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hawker',
      migrateOnStart: (env.MIGRATE_ON_START ?? 'true') === 'true',
    },
    redis: { url: env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: env.REDIS_PREFIX ?? 'hawker' },
    auth: {
      jwtSecret: secret('JWT_SECRET', DEV_JWT_SECRET),
      accessTokenTtlSeconds: 15 * 60,
      refreshTokenTtlDays: 30,
    },
    encryptionKeys: parseEncryptionKeys(secret('ENCRYPTION_KEY', DEV_ENCRYPTION_KEY)),
    meta: {
      appSecret: secret('META_APP_SECRET', 'hawker-development-meta-app-secret'),
      verifyToken: secret('META_VERIFY_TOKEN', 'hawker-development-verify-token'),
      graphBaseUrl: (env.META_GRAPH_BASE_URL ?? 'https://graph.facebook.com').replace(/\/$/, ''),
      graphVersion: env.META_GRAPH_VERSION ?? 'v23.0',
    },
    delivery: {
      retryBaseMs: env.DELIVERY_RETRY_BASE_MS ?? 2000,
      messagesPerSecond: env.WHATSAPP_MESSAGES_PER_SECOND ?? 80,
    },
    paystack: {
      baseUrl: (env.PAYSTACK_BASE_URL ?? 'https://api.paystack.co').replace(/\/$/, ''),
      customerEmailDomain: env.PAYSTACK_CUSTOMER_EMAIL_DOMAIN ?? 'customers.hawker.app',
    },
    commerce: { checkoutTtlSeconds: (env.CHECKOUT_TTL_MINUTES ?? 24 * 60) * 60 },
    invoices: { linkTtlSeconds: env.INVOICE_LINK_TTL_SECONDS ?? 7 * 24 * 3600 },
    maintenance: { intervalMs: env.MAINTENANCE_INTERVAL_MS ?? 60_000 },
    privacy: {
      exportLinkTtlSeconds: env.PRIVACY_EXPORT_LINK_TTL_SECONDS ?? 24 * 3600,
      exportDir: env.PRIVACY_EXPORT_DIR ?? 'var/exports',
      tenantDeletionGraceDays: env.TENANT_DELETION_GRACE_DAYS ?? 30,
      // 0, like unset, keeps messages: a business must opt in to deleting its history.
      messageRetentionDays: env.MESSAGE_RETENTION_DAYS || null,
    },
    openai: {
      apiKey: env.OPENAI_API_KEY || undefined,
      baseUrl: env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
      model: env.OPENAI_MODEL ?? 'gpt-4o-mini',
      timeoutMs: env.AI_TIMEOUT_MS ?? 8000,
    },
    smtpUrl: env.SMTP_URL || undefined,
    notifications: { staffAlertDelayMs: env.STAFF_ALERT_DELAY_MS ?? 120_000 },
    platformAdminEmails: (env.PLATFORM_ADMIN_EMAILS ?? []).map((e) => e.toLowerCase()),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    seedDemo: (env.SEED_DEMO ?? (production ? 'false' : 'true')) === 'true',
    devDefaultsUsed,
  });
}

function validateEnv(rawEnv: Record<string, string | undefined>): EnvVars {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(Object.entries(rawEnv).filter(([, value]) => value !== undefined && value !== ''));
  const env = plainToInstance(EnvVars, present);
  // `whitelist` drops every variable that is not Hawker's (PATH, HOME, …).
  const errors = validateSync(env, { whitelist: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  return env;
}

/**
 * `ENCRYPTION_KEY` is `id:base64key[,id:base64key…]` (or a single base64 key, id `k1`).
 * Each key must decode to 32 bytes for AES-256.
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const keys = value.split(',').map((part, index) => {
    const [id, b64] = part.includes(':') ? part.split(':', 2) : [`k${index + 1}`, part];
    const key = Buffer.from(b64.trim(), 'base64');
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(id) || key.length !== 32) {
      throw new ConfigError('ENCRYPTION_KEY must be id:base64 of 32 bytes (comma-separated to rotate)');
    }
    return { id, key };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new ConfigError('ENCRYPTION_KEY ids must be unique');
  return keys;
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (!value || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
