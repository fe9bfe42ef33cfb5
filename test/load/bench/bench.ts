import { cpus, release, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openBusinesses } from '../harness/fleet.js';
import { HawkerSystem } from '../harness/hawker-system.js';
import { round } from '../harness/measure.js';
import { WebhookClient } from '../harness/webhook-client.js';
import { runPhase, type PhaseSpec } from './phases.js';
import { html, table, type BenchReport, type Machine } from './report.js';

const USAGE = `npm run bench -- [options]
  --quick               a short run that finishes within 60 s
  --duration <s>        seconds of load per phase (default 20; quick 3)
  --rates <r,r,…>       open-loop arrival rates in messages/s (default 100,300,1000; quick 300)
  --tenants <n>         businesses, each with its own WhatsApp number and menu (default 25; quick 10)
  --customers <n>       customers in the closed-loop dialog phase (default 50)
  --connections <n>     webhook connections for the ingest phase (default 50)
  --graph-latency <ms>  how long the fake Graph API takes to answer a send (default 0)
  --log-level <level>   Hawker's LOG_LEVEL (default warn: request logs belong to the load balancer)
  --phases <p,p,…>      which phases to run, of ingest, open, closed (default all)
  --profile             write V8 CPU profiles of the API and the worker to <out>/profiles
  --out <dir>           where the JSON and HTML reports go (default bench-results)`;

interface Options {
  quick: boolean;
  durationS: number;
  rates: number[];
  tenants: number;
  customers: number;
  connections: number;
  graphLatencyMs: number;
  logLevel: string;
  phases: string[];
  profile: boolean;
  out: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      rates: { type: 'string' },
      tenants: { type: 'string' },
      customers: { type: 'string', default: '50' },
      connections: { type: 'string', default: '50' },
      'graph-latency': { type: 'string', default: '0' },
      'log-level': { type: 'string', default: 'warn' },
      phases: { type: 'string', default: 'ingest,open,closed' },
      profile: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const number = (name: string, value: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number\n${USAGE}`);
    return parsed;
  };
  const quick = values.quick;
  return {
    quick,
    durationS: number('duration', values.duration ?? (quick ? '3' : '20')),
    rates: (values.rates ?? (quick ? '300' : '100,300,1000')).split(',').map((rate) => number('rates', rate)),
    tenants: number('tenants', values.tenants ?? (quick ? '10' : '25')),
    customers: number('customers', values.customers),
    connections: number('connections', values.connections),
    graphLatencyMs: Number(values['graph-latency']),
    logLevel: values['log-level'],
    phases: values.phases.split(','),
    profile: values.profile,
    out: values.out,
  };
}

function phases(o: Options): PhaseSpec[] {
  const all: PhaseSpec[] = [
    { kind: 'ingest', name: 'ingest', durationS: o.durationS, connections: o.connections },
    ...o.rates.map((rate): PhaseSpec => ({ kind: 'open', name: `open ${rate}/s`, durationS: o.durationS, rate })),
    { kind: 'closed', name: `closed ${o.customers}`, durationS: o.durationS, customers: o.customers },
  ];
  return all.filter((phase) => o.phases.includes(phase.kind));
}

async function machine(postgresUrl: string, redisUrl: string): Promise<Machine> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();
  const redis = new Redis(redisUrl);
  const info = await redis.info('server');
  redis.disconnect();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    postgres: `PostgreSQL ${rows[0].server_version}`,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
  };
}

async function main(): Promise<void> {
  const o = options();
  const root = resolve(import.meta.dirname, '../../../..');
  const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const startedAt = new Date().toISOString();
  const log = (line: string) => process.stderr.write(`${line}\n`);

  log(`Starting Hawker (production build: one API, one worker) on a fresh database…`);
  const system = await HawkerSystem.start({
    root,
    postgresUrl,
    redisUrl,
    logLevel: o.logLevel,
    nodeArgs: o.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(o.out, 'profiles')}`] : [],
  });
  const client = new WebhookClient(system.apiUrl, system.appSecret, o.connections);
  try {
    system.graph.setLatency(o.graphLatencyMs);
    log(`Opening ${o.tenants} businesses…`);
    const businesses = await openBusinesses(system.apiUrl, system.graph, o.tenants);
    const report: BenchReport = {
      startedAt,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: await machine(postgresUrl, redisUrl),
      setup: { tenants: o.tenants, logLevel: o.logLevel, connections: o.connections, graphLatencyMs: o.graphLatencyMs },
      phases: [],
    };
    for (const spec of phases(o)) {
      log(`Phase ${spec.name}…`);
      const result = await runPhase(system, businesses, client, spec);
      report.phases.push(result);
      log(
        `  acked ${result.deliveries.acknowledged}, answered ${result.replies.answered}, drained in ${result.drainSeconds} s`,
      );
    }
    mkdirSync(o.out, { recursive: true });
    const base = join(o.out, `bench-${startedAt.replace(/[:.]/g, '-')}`);
    writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
    writeFileSync(`${base}.html`, html(report));
    process.stdout.write(`\n${table(report)}\n\nWrote ${base}.json and ${base}.html\n`);
    const broken = report.phases.filter(
      (p) => p.integrity.lost + p.integrity.duplicated + p.integrity.outOfOrder + p.integrity.wrong > 0,
    );
    if (broken.length) {
      process.stdout.write(
        `Replies lost, duplicated, reordered or misdirected in: ${broken.map((p) => p.spec.name).join(', ')}\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    await client.close();
    await system.stop();
  }
}

await main();
