import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

export interface ProcessUsage {
  /** Resident set now, and its peak since start or the last `resetPeak()`, in bytes. */
  rssBytes: number;
  peakRssBytes: number;
  /** User plus system CPU time since the process started. */
  cpuSeconds: number;
}

/**
 * One production process of Hawker (`dist/src/main.js` or `dist/src/worker.js`), started
 * the way an operator starts it, with its output kept for the report when it dies.
 */
export class HawkerProcess {
  private child?: ChildProcess;
  private readonly output: string[] = [];

  constructor(
    readonly name: 'api' | 'worker',
    private readonly root: string,
    private readonly env: Record<string, string>,
    /** Extra Node flags, e.g. `--cpu-prof` for the benchmark's `--profile`. */
    private readonly nodeArgs: string[] = [],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const script = join(this.root, 'dist/src', this.name === 'api' ? 'main.js' : 'worker.js');
    this.output.length = 0;
    const child = spawn(process.execPath, [...this.nodeArgs, script], {
      cwd: this.root,
      env: { PATH: process.env.PATH ?? '', ...this.env, APP_ROLE: this.name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.child = child;
  }

  /** The last lines the process printed: what an operator would read after a crash. */
  lastOutput(): string {
    return this.output.join('').split('\n').slice(-30).join('\n');
  }

  async usage(): Promise<ProcessUsage> {
    const pid = this.requirePid();
    const [status, stat] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      rssBytes: kib('VmRSS'),
      peakRssBytes: kib('VmHWM'),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    };
  }

  /** Starts a new peak-RSS window (Linux `clear_refs` 5), so each phase reports its own peak. */
  async resetPeak(): Promise<void> {
    await writeFile(`/proc/${this.requirePid()}/clear_refs`, '5').catch(() => undefined);
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  /** SIGTERM, as an orchestrator stops it; SIGKILL if it has not exited in 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private requirePid(): number {
    if (!this.child?.pid || !this.running) throw new Error(`the ${this.name} process is not running`);
    return this.child.pid;
  }
}

/** Waits until `url` answers 200, failing with the process's last output if it exits first. */
export async function waitUntilReady(url: string, process: HawkerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!process.running) throw new Error(`${process.name} exited while starting:\n${process.lastOutput()}`);
    const ok = await fetch(url)
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was not ready after ${timeoutMs} ms:\n${process.lastOutput()}`);
}
