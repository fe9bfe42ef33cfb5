import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { TEST_ENV } from '../support/test-app.js';
import { SERVER_URL } from '../support/test-database.js';

const ROOT = join(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

// What `npm start` runs after building: the production entry point on an empty database.
describe('npm start', () => {
  it('migrates an empty database, seeds the demo business, gets ready, and the printed credentials sign in', async () => {
    const port = await freePort();
    const database = `hawker_start_${port}`;
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...TEST_ENV,
        NODE_ENV: 'development',
        SEED_DEMO: 'true',
        PORT: String(port),
        DATABASE_URL: `${SERVER_URL}/${database}`,
        REDIS_PREFIX: `test-start-${port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 60_000;
      while (!/Sign in: POST \S+\s+(\{.*\})/.test(output) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      const credentials = JSON.parse(/Sign in: POST \S+\s+(\{.*\})/.exec(output)![1]) as {
        email: string;
        password: string;
      };

      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
      const login = await fetch(`http://127.0.0.1:${port}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(credentials),
      });
      expect(login.status).toBe(200);
      const me = await fetch(`http://127.0.0.1:${port}/v1/me`, {
        headers: { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` },
      });
      expect(((await me.json()) as { memberships: unknown[] }).memberships).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await dropDatabase(database);
    }
  });

  it('exits with one clear line when Redis cannot be reached', async () => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      env: { ...process.env, ...TEST_ENV, REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: `${SERVER_URL}/postgres` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'hawker: Cannot reach Redis at redis://127.0.0.1:1: start it (e.g. `redis-server --daemonize yes`) or run `docker compose -f docker/compose.yml up -d`.',
    );
  });
});
