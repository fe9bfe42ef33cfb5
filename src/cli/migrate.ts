import 'reflect-metadata';
import { loadConfig } from '../config/app-config.js';
import { ensureDatabaseExists } from '../database/ensure-database.js';
import { applyMigrations } from '../database/migrator.js';

// `npm run migrate`: apply pending migrations and exit (for deployments that migrate
// as a separate step, with MIGRATE_ON_START=false on the API and workers).
const config = loadConfig();
await ensureDatabaseExists(config.database.url);
const applied = await applyMigrations(config);
process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
