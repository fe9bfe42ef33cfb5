import { Injectable } from '@nestjs/common';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assertUuid } from '../../../common/uuid.js';
import { AppConfig } from '../../../config/app-config.js';

/**
 * The stored export archives: `<exportDir>/<tenantId>/<requestId>.zip`, written first as
 * `<requestId>.zip.partial` and renamed only once complete and on disk, so a name ending
 * in `.zip` is always a whole archive. Paths are built from uuids only.
 */
@Injectable()
export class ExportFiles {
  private readonly root: string;

  constructor(config: AppConfig) {
    this.root = resolve(config.privacy.exportDir);
  }

  tenantDir(tenantId: string): string {
    assertUuid(tenantId);
    return join(this.root, tenantId);
  }

  partialPath(tenantId: string, requestId: string): string {
    assertUuid(requestId);
    return join(this.tenantDir(tenantId), `${requestId}.zip.partial`);
  }

  archivePath(tenantId: string, requestId: string): string {
    assertUuid(requestId);
    return join(this.tenantDir(tenantId), `${requestId}.zip`);
  }

  /** Clears what an earlier, interrupted run left, and makes sure the tenant's folder exists. */
  async prepare(tenantId: string, requestId: string): Promise<string> {
    await mkdir(this.tenantDir(tenantId), { recursive: true, mode: 0o700 });
    await this.remove(tenantId, requestId);
    return this.partialPath(tenantId, requestId);
  }

  /** Renames the finished (and fsynced) partial file to its final name, durably. */
  async publish(tenantId: string, requestId: string): Promise<void> {
    await rename(this.partialPath(tenantId, requestId), this.archivePath(tenantId, requestId));
    // The rename itself is durable only once the directory is.
    const dir = await open(this.tenantDir(tenantId), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async remove(tenantId: string, requestId: string): Promise<void> {
    await rm(this.partialPath(tenantId, requestId), { force: true });
    await rm(this.archivePath(tenantId, requestId), { force: true });
  }

  /** The archive, or null when it is not (or no longer) on disk. */
  async openArchive(tenantId: string, requestId: string): Promise<{ stream: ReadStream; size: number } | null> {
    const path = this.archivePath(tenantId, requestId);
    try {
      const { size } = await stat(path);
      return { stream: createReadStream(path), size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Removes every stored file of the tenant (tenant deletion). */
  async removeTenant(tenantId: string): Promise<void> {
    await rm(this.tenantDir(tenantId), { recursive: true, force: true });
  }
}
