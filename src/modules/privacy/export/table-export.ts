import type { EntityManager } from 'typeorm';
import type { TenantDb } from '../../../database/tenant-db.js';
import { bindNamed } from '../requests/named-sql.js';
import type { ExportedTable } from '../requests/privacy-tables.js';
import type { ExportSubject } from './export-contributors.js';

/** Rows read per query: a page of messages (8 KB bodies at most) stays well under 10 MB. */
export const EXPORT_PAGE_ROWS = 500;

interface PageRow {
  row: string;
  [key: `k${number}`]: string | null;
}

/** The table's rows that belong in the subject's export (all of the tenant's, or one contact's). */
function scopeOf(table: ExportedTable, subject: ExportSubject): string {
  const tenant = `t.${table.export.tenantColumn ?? 'tenant_id'} = :tenantId`;
  return subject.contactId ? `${tenant} AND (${table.export.ofContact ?? 'false'})` : tenant;
}

function valuesOf(subject: ExportSubject): Record<string, unknown> {
  return { tenantId: subject.tenantId, contactId: subject.contactId ?? null };
}

export async function countRows(tx: EntityManager, table: ExportedTable, subject: ExportSubject): Promise<number> {
  const [sql, params] = bindNamed(
    `SELECT count(*)::int AS n FROM ${table.table} t WHERE ${scopeOf(table, subject)}`,
    valuesOf(subject),
  );
  const [{ n }] = await tx.query<{ n: number }[]>(sql, params);
  return n;
}

/**
 * The table as a JSON array, produced page by page in keyset order, each page in its own
 * short tenant transaction (an export of a large business must not hold one open for
 * minutes). Postgres serialises each row (`to_jsonb`), less the columns never exported.
 * `onPage` hears how many rows each page held, and may throw to stop the export.
 */
export async function* tableJson(
  tenantDb: TenantDb,
  table: ExportedTable,
  subject: ExportSubject,
  onPage: (rows: number) => Promise<void>,
): AsyncGenerator<string> {
  const { key, omit = [] } = table.export;
  const sortColumns = key.map((column, i) => `t.${column} AS o${i}, t.${column}::text AS k${i}`).join(', ');
  const order = key.map((column) => `t.${column}`).join(', ');
  const afterClause = `(${order}) > (${key.map((_, i) => `:after${i}`).join(', ')})`;
  let after: (string | null)[] | undefined;
  yield '[';
  for (let first = true; ;) {
    const values: Record<string, unknown> = { ...valuesOf(subject), omit, limit: EXPORT_PAGE_ROWS };
    after?.forEach((value, i) => (values[`after${i}`] = value));
    // Rows are serialised after the page is chosen: with a poor plan (a sort instead of
    // the index) only the page's rows, not the whole table's, go through to_jsonb.
    const [sql, params] = bindNamed(
      `SELECT ${key.map((_, i) => `p.k${i}`).join(', ')}, (to_jsonb(p.r) - :omit::text[])::text AS row
         FROM (SELECT t AS r, ${sortColumns}
                 FROM ${table.table} t
                WHERE ${scopeOf(table, subject)}${after ? ` AND ${afterClause}` : ''}
                ORDER BY ${order} LIMIT :limit) p
        ORDER BY ${key.map((_, i) => `p.o${i}`).join(', ')}`,
      values,
    );
    const rows = await tenantDb.run(subject, (tx) => tx.query<PageRow[]>(sql, params));
    if (rows.length) {
      yield (first ? '\n' : ',\n') + rows.map((r) => r.row).join(',\n');
      first = false;
      const last = rows[rows.length - 1];
      after = key.map((_, i) => last[`k${i}`]);
    }
    await onPage(rows.length);
    if (rows.length < EXPORT_PAGE_ROWS) break;
  }
  yield '\n]\n';
}
