import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startFakeGraphApi, type FakeGraphApi } from '../../fakes/fake-graph-api.js';
import { deleteRedisPrefix, freePort } from '../../support/private-redis.js';
import { HawkerProcess, waitUntilReady, type ProcessUsage } from './hawker-process.js';

// The queues a customer's dialog goes through: the worker is up once it consumes them.
const CONSUMED_QUEUES = ['inbound', 'outbound', 'notifications', 'payments'];

export interface SystemOptions {
  root: string;
  /** A server URL without a database name; the system creates its own database on it. */
  postgresUrl: string;
  redisUrl: string;
  logLevel: string;
  /** Extra environment for both processes. */
  env?: Record<string, string>;
  /** Extra Node flags for both processes. */
  nodeArgs?: string[];
}

/**
 * Hawker as an operator runs it: one API process and one worker process from the production
 * build, on a database and Redis prefix of their own, sending to a fake Graph API.
 */
export class HawkerSystem {
  private constructor(
    readonly api: HawkerProcess,
    readonly worker: HawkerProcess,
    readonly graph: FakeGraphApi,
    readonly apiUrl: string,
    readonly appSecret: string,
    readonly databaseUrl: string,
    /** What the system made for itself and removes again: Redis keys, an export directory. */
    private readonly own: { redisUrl: string; prefix: string; exportDir: string },
  ) {}

  static async start(options: SystemOptions): Promise<HawkerSystem> {
    const graph = await startFakeGraphApi({ record: false });
    const stamp = `${Date.now()}_${randomBytes(3).toString('hex')}`;
    const databaseUrl = withDatabase(options.postgresUrl, `hawker_load_${stamp}`);
    const port = await freePort();
    const appSecret = randomBytes(16).toString('hex');
    const prefix = `load:${stamp}`;
    const exportDir = mkdtempSync(join(tmpdir(), 'hawker-exports-'));
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: `k1:${randomBytes(32).toString('base64')}`,
      META_APP_SECRET: appSecret,
      META_VERIFY_TOKEN: randomBytes(8).toString('hex'),
      META_GRAPH_BASE_URL: graph.url,
      PRIVACY_EXPORT_DIR: exportDir,
      LOG_LEVEL: options.logLevel,
      // Sign-ups and owner calls come from one address here; the webhook is never limited.
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...options.env,
    };
    const api = new HawkerProcess('api', options.root, env, options.nodeArgs);
    // The API applies the migrations; the worker need not wait on the migration lock.
    const worker = new HawkerProcess('worker', options.root, { ...env, MIGRATE_ON_START: 'false' }, options.nodeArgs);
    try {
      api.start();
      await waitUntilReady(`${env.PUBLIC_BASE_URL}/health/ready`, api);
      worker.start();
      await waitForConsumers(worker, options.redisUrl, `${prefix}:bull`, CONSUMED_QUEUES);
    } catch (error) {
      await Promise.all([api.stop(), worker.stop(), graph.close()]);
      rmSync(exportDir, { recursive: true, force: true });
      throw error;
    }
    return new HawkerSystem(api, worker, graph, env.PUBLIC_BASE_URL, appSecret, databaseUrl, {
      redisUrl: options.redisUrl,
      prefix,
      exportDir,
    });
  }

  /** Starts a new worker process in place of one that died or was killed. */
  async startWorker(): Promise<void> {
    this.worker.start();
    await waitForConsumers(this.worker, this.own.redisUrl, `${this.own.prefix}:bull`, CONSUMED_QUEUES);
  }

  async usage(): Promise<{ api: ProcessUsage; worker: ProcessUsage }> {
    const [api, worker] = await Promise.all([this.api.usage(), this.worker.usage()]);
    return { api, worker };
  }

  /** Stops both processes and the fake, and removes the export directory, the database and the Redis keys. */
  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await Promise.all([this.api.stop(), this.worker.stop()]);
    await this.graph.close();
    rmSync(this.own.exportDir, { recursive: true, force: true });
    if (options.keepData) return;
    await dropDatabase(this.databaseUrl).catch(() => undefined);
    await deleteRedisPrefix(this.own.redisUrl, this.own.prefix).catch(() => undefined);
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Waits until the worker consumes the given queues: Bull names each consumer's blocking
 * connection `<prefix>:<base64 of the queue name>`, which CLIENT LIST shows. (The worker's
 * own "running" line is an info log, which a quieter LOG_LEVEL hides.)
 */
async function waitForConsumers(worker: HawkerProcess, redisUrl: string, keyPrefix: string, queues: string[]) {
  const wanted = queues.map((queue) => `name=${keyPrefix}:${Buffer.from(queue).toString('base64')}`);
  const redis = new Redis(redisUrl);
  try {
    for (let waited = 0; waited < 60_000; waited += 200) {
      if (!worker.running) throw new Error(`worker exited while starting:\n${worker.lastOutput()}`);
      const clients = (await redis.client('LIST')) as string;
      if (wanted.every((name) => clients.includes(name))) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the worker did not start consuming in 60 s:\n${worker.lastOutput()}`);
  } finally {
    redis.disconnect();
  }
}
