import { graphFailures } from '../../fakes/fake-graph-api.js';
import type { PrivateRedis } from '../../support/private-redis.js';
import type { HawkerSystem } from '../harness/hawker-system.js';
import type { LoadRun } from '../harness/load-run.js';
import type { PrivatePostgres } from '../harness/private-postgres.js';
import type { Finding } from './checks.js';

export interface FaultScene {
  system: HawkerSystem;
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  run: LoadRun;
  /** New customers start writing: traffic that arrives in the middle of the fault. */
  join: (customers: number) => void;
}

/** Webhook answers other than 200 seen during a fault, by status (0: no connection). */
export type Refusals = Map<number, number>;

export interface Fault {
  kind: 'redis' | 'postgres' | 'worker' | 'graph';
  description: string;
  /** Injects the fault and ends it; returns anything worth reporting. */
  inject(scene: FaultScene): Promise<string>;
  /** What the webhook must have answered meanwhile. */
  check?(refusals: Refusals): Finding;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const redisOutage: Fault = {
  kind: 'redis',
  description: 'Redis stopped for 20 s, then brought back empty (it keeps nothing on disk)',
  async inject({ redis, join }) {
    await redis.stop();
    await sleep(2_000);
    join(6);
    await sleep(18_000);
    await redis.resume();
    return '';
  },
  check: (refusals) => ({
    check: 'webhooks during the Redis outage acknowledged at once (the inbox is in PostgreSQL)',
    ok: refusals.size === 0,
    detail: describe(refusals),
  }),
};

const postgresRestart: Fault = {
  kind: 'postgres',
  description: 'PostgreSQL restarted (fast shutdown, 5 s down, started again)',
  async inject({ postgres, join }) {
    postgres.stop();
    join(6);
    await sleep(5_000);
    postgres.start();
    return '';
  },
  check: (refusals) => ({
    check: 'webhooks during the PostgreSQL outage answered 503, which Meta retries',
    ok: (refusals.get(503) ?? 0) > 0 && [...refusals.keys()].every((status) => status === 503),
    detail: describe(refusals),
  }),
};

const workerKill: Fault = {
  kind: 'worker',
  description: 'worker killed with SIGKILL while processing customer messages, another started',
  async inject({ system, run, join }) {
    // Meta refuses sends meanwhile, so no send Meta accepted is left unrecorded by the kill.
    const endRefusals = system.graph.failWhile(() => true, graphFailures.serverError);
    await processingWithNoSendInFlight(run, system, () => join(8));
    const killed = system.worker.pid;
    await system.worker.kill('SIGKILL');
    await system.startWorker();
    endRefusals();
    return `killed pid ${killed}, started pid ${system.worker.pid}`;
  },
};

const graphOutage: Fault = {
  kind: 'graph',
  description: 'Graph API answering 500 or hanging (client time-out) for 20 s',
  async inject({ system }) {
    let request = 0;
    const until = Date.now() + 20_000;
    const during = () => Date.now() < until;
    const endErrors = system.graph.failWhile(() => during() && request++ % 2 === 0, graphFailures.serverError);
    const endHangs = system.graph.failWhile(during, 'hang');
    await sleep(20_000);
    endErrors();
    endHangs();
    return '';
  },
};

export const FAULTS: Fault[] = [redisOutage, postgresRestart, workerKill, graphOutage];

/**
 * Waits until sends refused a moment ago have been recorded, then has new customers write and
 * returns once the first of their messages is acknowledged: the worker is processing. A send
 * the Graph API accepted but the worker had not yet recorded would be sent again by the next
 * worker: the one place delivery is at least once, as the Graph API takes no idempotency key
 * (docs/performance.md). Anywhere else a kill must lose and repeat nothing.
 */
async function processingWithNoSendInFlight(run: LoadRun, system: HawkerSystem, burst: () => void): Promise<void> {
  await sleep(500);
  const before = run.acknowledged;
  burst();
  while (!(run.acknowledged > before && system.graph.inFlight === 0))
    await new Promise((resolve) => setImmediate(resolve));
}

export function describe(refusals: Refusals): string | undefined {
  if (refusals.size === 0) return undefined;
  return [...refusals].map(([status, count]) => `${count} × ${status === 0 ? 'no connection' : status}`).join(', ');
}
