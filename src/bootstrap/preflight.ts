import { Redis } from 'ioredis';
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';

const HOW_TO_START = {
  PostgreSQL: 'start it (e.g. `pg_ctlcluster 15 main start`) or run `docker compose -f docker/compose.yml up -d`',
  Redis: 'start it (e.g. `redis-server --daemonize yes`) or run `docker compose -f docker/compose.yml up -d`',
};

export class PreflightError extends Error {}

/** Checks both servers answer, so a missing one is one clear line instead of a stack trace. */
export async function preflight(config: AppConfig): Promise<void> {
  await reach('PostgreSQL', config.database.url, async () => {
    // The server's own `postgres` database: ours may not exist yet on a fresh machine.
    const url = new URL(config.database.url);
    url.pathname = '/postgres';
    const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
  });
  await reach('Redis', config.redis.url, async () => {
    const redis = new Redis(config.redis.url, {
      lazyConnect: true,
      connectTimeout: 3000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined); // reported below, as one line
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  });
}

async function reach(name: keyof typeof HOW_TO_START, url: string, probe: () => Promise<void>): Promise<void> {
  try {
    await probe();
  } catch {
    throw new PreflightError(`Cannot reach ${name} at ${redactUrl(url)}: ${HOW_TO_START[name]}.`);
  }
}

/** A connection URL fit for a log line: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
