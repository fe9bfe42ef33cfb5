import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../../../database/tenant-db.js';

/** Whose data an export holds: one contact's, or (no contact) the whole business's. */
export interface ExportSubject extends TenantScope {
  contactId?: string;
}

/** A file another module adds to an export archive. */
export interface ExportFile {
  /** The file's name inside the contributor's folder: letters, digits, `.`, `_` and `-`. */
  name: string;
  content: Buffer;
}

/**
 * Another module's files in an export (the invoices module's PDFs). Privacy reads tables
 * itself but must not import the modules that render files from them, so they register
 * here instead (the dependency points into privacy, as ARCHITECTURE §3 wants).
 */
export interface ExportContributor {
  /** The archive folder its files go in, unique among contributors. */
  readonly folder: string;
  /** How many files `files` will yield, for progress. */
  count(subject: ExportSubject): Promise<number>;
  /**
   * The subject's files, one at a time: a contributor pages through its data in short
   * tenant transactions and holds no more than one file in memory.
   */
  files(subject: ExportSubject): AsyncIterable<ExportFile>;
}

const FOLDER = /^[a-z][a-z0-9_-]{0,40}$/;

/** The contributors registered at boot, in registration order. */
@Injectable()
export class ExportContributors {
  private readonly contributors: ExportContributor[] = [];

  register(contributor: ExportContributor): void {
    if (!FOLDER.test(contributor.folder)) throw new Error(`Not an export folder name: ${contributor.folder}`);
    if (this.contributors.some((c) => c.folder === contributor.folder))
      throw new Error(`Export folder ${contributor.folder} is already taken`);
    this.contributors.push(contributor);
  }

  all(): readonly ExportContributor[] {
    return this.contributors;
  }
}
