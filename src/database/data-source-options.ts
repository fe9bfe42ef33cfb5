import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { MIGRATIONS } from '../../migrations/migrations.js';
import { APP_DB_ROLE } from './db-roles.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/** Options for the application's pool: every connection starts as the RLS-bound role. */
export function appDataSourceOptions(config: AppConfig) {
  return {
    type: 'postgres' as const,
    url: config.database.url,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: 20,
      // Connect as the owner but act as the application role from the first statement:
      // a query that forgets the tenant sees nothing instead of everything.
      options: `-c role=${APP_DB_ROLE}`,
      application_name: `hawker-${config.role}`,
      connectionTimeoutMillis: 5000,
    },
  };
}

/** Options for applying migrations: the owner's own role, the reviewed SQL in `migrations/`. */
export function migrationDataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
    extra: { max: 2, application_name: 'hawker-migrate', connectionTimeoutMillis: 5000 },
  };
}
