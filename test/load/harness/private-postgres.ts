import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/private-redis.js';

const BIN = `/usr/lib/postgresql/${process.env.PG_MAJOR ?? '15'}/bin`;

/**
 * A PostgreSQL cluster of the suite's own (initdb in a temp dir, a free port), so stopping
 * and restarting it disturbs nobody else. Run as the `postgres` user when we are root:
 * PostgreSQL refuses to run as root.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'hawker-pg-'));
    const dataDir = join(dir, 'data');
    if (isRoot()) chownSync(dir, uidOf('postgres'), uidOf('postgres', 'g'));
    const cluster = new PrivatePostgres(await freePort(), dataDir);
    cluster.pg('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/hawker`;
  }

  start(): void {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200`;
    this.pg('pg_ctl', ['-D', this.dataDir, '-o', options, '-w', '-t', '60', '-l', join(this.dataDir, 'log'), 'start']);
  }

  /** A fast shutdown: open connections are cut, as when the database restarts under load. */
  stop(): void {
    this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  destroy(): void {
    spawnSync(this.command('pg_ctl'), ['-D', this.dataDir, '-m', 'immediate', 'stop'], this.asOwner());
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
  }

  private pg(tool: string, args: string[]): void {
    execFileSync(this.command(tool), args, { ...this.asOwner(), stdio: 'pipe' });
  }

  private command(tool: string): string {
    return join(BIN, tool);
  }

  private asOwner() {
    return isRoot() ? { uid: uidOf('postgres'), gid: uidOf('postgres', 'g') } : {};
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function uidOf(user: string, kind: 'u' | 'g' = 'u'): number {
  return Number(
    execFileSync('id', [`-${kind}`, user])
      .toString()
      .trim(),
  );
}
