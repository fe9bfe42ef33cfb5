import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/app-config.js';
import { applyMigrations } from '../../src/database/migrator.js';

export const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
const MIGRATIONS_DIR = join(import.meta.dirname, '../../migrations');

/** A name that changes whenever a migration does, so a stale template is never reused. */
export function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort())
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  return `hawker_test_tpl_${hash.digest('hex').slice(0, 12)}`;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// A template unused this long belongs to a migration set no run is using any more.
const TEMPLATE_IDLE_MS = 60 * 60 * 1000;

/** Notes on the template when it was last used, so that a run with other migrations spares it. */
function markUsed(admin: pg.Client, name: string) {
  return admin.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(name)} IS ${pg.escapeLiteral(String(Date.now()))}`);
}

/** Migrates a template database once per migration set; every test database is a copy of it. */
export async function ensureTemplate(): Promise<string> {
  const name = templateName();
  const exists = await withAdmin(async (admin) => {
    const found = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
    if (found) await markUsed(admin, name);
    return found;
  });
  if (exists) return name;
  const building = `${name}_build_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${building}`));
  await applyMigrations(loadConfig({ NODE_ENV: 'test', DATABASE_URL: `${SERVER_URL}/${building}` }));
  await withAdmin(async (admin) => {
    // Templates of other migration sets, unless a run (another checkout) used one lately.
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database
        WHERE datname LIKE 'hawker_test_tpl_%' AND datname NOT LIKE '%_build_%'
          AND coalesce(shobj_description(oid, 'pg_database'), '0')::bigint < $1`,
      [Date.now() - TEMPLATE_IDLE_MS],
    );
    for (const { datname } of stale.rows)
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)}`).catch(() => undefined);
    try {
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      await markUsed(admin, name);
    } catch {
      // A parallel run finished the same template first.
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
    }
  });
  return name;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const template = await ensureTemplate();
  const name = `hawker_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    name,
    url: `${SERVER_URL}/${name}`,
    drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
