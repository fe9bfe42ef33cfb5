/**
 * The non-superuser role all application queries run as. It owns nothing and cannot
 * bypass row-level security, so a tenant table shows only the rows of the tenant set in
 * `app.tenant_id` — and none when no tenant is set. Created by the first migration.
 */
export const APP_DB_ROLE = 'hawker_app';

/**
 * The role background sweeps run as to find work in every tenant: it may read only the
 * few columns and rows its own policies allow (unprocessed, pending, due), and change nothing.
 */
export const SWEEPER_DB_ROLE = 'hawker_sweeper';
