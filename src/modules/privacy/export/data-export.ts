import { Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { TenantDb } from '../../../database/tenant-db.js';
import { ExportFiles } from '../requests/export-files.js';
import { type ExportedTable, isExported, PRIVACY_TABLES } from '../requests/privacy-tables.js';
import { ExportContributors, type ExportSubject } from './export-contributors.js';
import { countRows, tableJson } from './table-export.js';
import { ZipArchiveWriter } from './zip-archive-writer.js';

/** Told the share of the work done (0–1); may throw to stop the export. */
export type ExportProgress = (done: number) => Promise<void>;

/** What an archive holds, as counts only (for the record and the manifest). */
export interface ExportCounts {
  /** Rows per table. */
  rows: Record<string, number>;
  /** Files per contributor folder. */
  files: Record<string, number>;
}

export interface ExportedArchive extends ExportCounts {
  bytes: number;
}

const FILE_NAME = /^[A-Za-z0-9._-]{1,120}$/;

/**
 * Writes one export archive as `<requestId>.zip.partial`: a JSON file per table (rows of
 * the whole business, or of one contact), the contributors' files (invoice PDFs) and a
 * manifest. Whatever an earlier run of the same request left is removed first, so a
 * restarted export starts from scratch. Publishing the finished file is the caller's
 * step, taken together with marking the request done.
 */
@Injectable()
export class DataExport {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly files: ExportFiles,
    private readonly contributors: ExportContributors,
  ) {}

  async write(requestId: string, subject: ExportSubject, progress: ExportProgress): Promise<ExportedArchive> {
    const path = await this.files.prepare(subject.tenantId, requestId);
    const zip = new ZipArchiveWriter(path);
    try {
      const counts = await this.writeContent(zip, requestId, subject, progress);
      return { bytes: await zip.finish(), ...counts };
    } catch (error) {
      await zip.abort();
      throw error;
    }
  }

  /** Removes a partial archive this run wrote, when it gives up. */
  async discard(tenantId: string, requestId: string): Promise<void> {
    await rm(this.files.partialPath(tenantId, requestId), { force: true });
  }

  private async writeContent(
    zip: ZipArchiveWriter,
    requestId: string,
    subject: ExportSubject,
    progress: ExportProgress,
  ): Promise<ExportCounts> {
    const tables = PRIVACY_TABLES.filter(isExported).filter((t) => !subject.contactId || t.export.ofContact);
    const expected = await this.expectedWork(tables, subject);
    let done = 0;
    const advance = async (units: number) => {
      done += units;
      await progress(Math.min(done / Math.max(expected, 1), 1));
    };
    const counts: ExportCounts = { rows: {}, files: {} };
    for (const { table } of tables) counts.rows[table] = 0;
    for (const table of tables) {
      await zip.addEntry(
        `${table.table}.json`,
        tableJson(this.tenantDb, table, subject, async (rows) => {
          counts.rows[table.table] += rows;
          await advance(rows);
        }),
      );
    }
    for (const contributor of this.contributors.all()) {
      counts.files[contributor.folder] = 0;
      for await (const file of contributor.files(subject)) {
        if (!FILE_NAME.test(file.name)) throw new Error(`Not an export file name: ${file.name}`);
        await zip.addFile(`${contributor.folder}/${file.name}`, file.content);
        counts.files[contributor.folder]++;
        await advance(1);
      }
    }
    await zip.addFile('manifest.json', manifest(requestId, subject, counts));
    return counts;
  }

  /** Rows and files the export will hold, counted up front for its progress. */
  private async expectedWork(tables: ExportedTable[], subject: ExportSubject): Promise<number> {
    let total = await this.tenantDb.run(subject, async (tx) => {
      let rows = 0;
      for (const table of tables) rows += await countRows(tx, table, subject);
      return rows;
    });
    for (const contributor of this.contributors.all()) total += await contributor.count(subject);
    return total;
  }
}

function manifest(requestId: string, subject: ExportSubject, counts: ExportCounts): string {
  const body = {
    format: 'hawker-export/1',
    requestId,
    tenantId: subject.tenantId,
    subject: subject.contactId ? { type: 'contact', contactId: subject.contactId } : { type: 'tenant' },
    createdAt: new Date().toISOString(),
    ...counts,
    notes: 'One JSON array per table (rows as stored, secrets left out); contributed files in their folders.',
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
