import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isExported, PRIVACY_TABLES } from '../../src/modules/privacy/requests/privacy-tables.js';
import { asOwner } from '../support/as-owner.js';
import { signUp, type Account } from '../support/fixtures.js';
import { zipEntries } from '../support/zip-entries.js';
import { startTestApp, TEST_ENV, type TestApp } from '../support/test-app.js';

const ROOT = join(import.meta.dirname, '../..');
// Enough rows that an export takes a few seconds: long enough to be killed half-way.
const CONTACTS = 2_000;
const MESSAGES_PER_CONTACT = 100;

let t: TestApp;
let exportDir: string;
const workers = new Set<ChildProcess>();

beforeAll(async () => {
  exportDir = await mkdtemp(join(tmpdir(), 'hawker-exports-'));
  // The API only: the export runs in worker processes of its own, which the test kills.
  t = await startTestApp({ APP_ROLE: 'api', PRIVACY_EXPORT_DIR: exportDir });
});
afterAll(async () => {
  for (const worker of workers) await stop(worker, 'SIGTERM');
  await t.close();
  await rm(exportDir, { recursive: true, force: true });
});

/** `npm run start:worker` against the test's database and Redis prefix (run `npm run build` first). */
function startWorker(): ChildProcess {
  const worker = spawn(process.execPath, ['dist/src/worker.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...TEST_ENV,
      APP_ROLE: 'worker',
      DATABASE_URL: t.databaseUrl,
      REDIS_PREFIX: t.config.redis.prefix,
      PRIVACY_EXPORT_DIR: exportDir,
      MIGRATE_ON_START: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.add(worker);
  return worker;
}

async function stop(worker: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (worker.exitCode === null && worker.signalCode === null) {
    const exited = once(worker, 'exit');
    worker.kill(signal);
    // A worker shutting down waits for its running job; the test does not.
    const timer = setTimeout(() => worker.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  workers.delete(worker);
}

async function seed(owner: Account): Promise<void> {
  const channel = await t
    .http()
    .post(`/v1/tenants/${owner.tenantId}/channels`)
    .set(owner.auth)
    .send({ type: 'webchat', name: 'Website', allowedOrigins: ['https://shop.example'] })
    .expect(201);
  await asOwner(
    t,
    `WITH contact AS (
       INSERT INTO contacts (tenant_id, channel_id, external_ref)
       SELECT $1, $2, 'seed-' || g FROM generate_series(1, $3) g RETURNING id)
     INSERT INTO conversations (tenant_id, contact_id, channel_id) SELECT $1, id, $2 FROM contact`,
    [owner.tenantId, channel.body.id, CONTACTS],
  );
  await asOwner(
    t,
    `INSERT INTO messages (tenant_id, conversation_id, direction, source, body)
     SELECT $1, c.id, 'in', 'customer', 'message ' || g || ' ' || repeat(md5(c.id::text || g), 3)
       FROM conversations c, generate_series(1, $2) g WHERE c.tenant_id = $1`,
    [owner.tenantId, MESSAGES_PER_CONTACT],
  );
  // What autovacuum would have done by the time a business has this many messages.
  await asOwner(t, `ANALYZE contacts, conversations, messages`);
}

interface RequestState {
  status: string;
  progress: number;
  attempts: number;
}

function requestState(id: string): Promise<RequestState> {
  return asOwner<RequestState[]>(t, `SELECT status, progress, attempts FROM privacy_requests WHERE id = $1`, [id]).then(
    ([row]) => row,
  );
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a whole-business export when its worker is killed', () => {
  it('is started again by another worker and ends as exactly one complete archive', async () => {
    const owner = await signUp(t);
    await seed(owner);
    const dir = join(exportDir, owner.tenantId);

    const first = startWorker();
    const created = await t
      .http()
      .post(`/v1/tenants/${owner.tenantId}/privacy-requests`)
      .set(owner.auth)
      .send({ type: 'export' })
      .expect(202);
    const id = created.body.id as string;
    // Killed half-way: running, some progress reported, the partial archive on disk.
    await until(
      'the export to be under way',
      async () => {
        const state = await requestState(id);
        return state.status === 'running' && state.progress >= 10;
      },
      60_000,
    );
    await stop(first, 'SIGKILL');
    const killed = await requestState(id);
    expect(killed).toMatchObject({ status: 'running', attempts: 1 });
    expect(killed.progress).toBeLessThan(100);
    expect(await readdir(dir)).toEqual([`${id}.zip.partial`]);

    startWorker();
    await until('the export to finish', async () => (await requestState(id)).status !== 'running', 150_000);
    await until('the export to finish', async () => (await requestState(id)).status === 'done', 60_000);
    const done = await requestState(id);
    expect(done).toMatchObject({ status: 'done', progress: 100 });
    expect(done.attempts).toBeGreaterThanOrEqual(2);

    // Exactly one archive, no partial one left, and it is whole.
    expect(await readdir(dir)).toEqual([`${id}.zip`]);
    const path = join(dir, `${id}.zip`);
    const view = await t.http().get(`/v1/tenants/${owner.tenantId}/privacy-requests/${id}`).set(owner.auth);
    expect(view.body.archiveBytes).toBe((await stat(path)).size);
    const entries = await zipEntries(path);
    const tables = PRIVACY_TABLES.filter(isExported).map((table) => `${table.table}.json`);
    expect([...entries.keys()].sort()).toEqual([...tables, 'manifest.json'].sort());
    const rows = (name: string) => (JSON.parse(entries.get(name)!.toString('utf8')) as unknown[]).length;
    expect(rows('messages.json')).toBe(CONTACTS * MESSAGES_PER_CONTACT);
    expect(rows('contacts.json')).toBe(CONTACTS);
    expect(JSON.parse(entries.get('manifest.json')!.toString('utf8')).rows).toMatchObject({
      messages: CONTACTS * MESSAGES_PER_CONTACT,
      contacts: CONTACTS,
    });
  }, 300_000);
});
