import { performance } from 'node:perf_hooks';
import type { Customer } from '../harness/dialog.js';
import type { Business } from '../harness/fleet.js';
import type { HawkerSystem } from '../harness/hawker-system.js';
import type { ProcessUsage } from '../harness/hawker-process.js';
import { LoadRun } from '../harness/load-run.js';
import { percentiles, round, Timeline, type Percentiles, type TimelineSeries } from '../harness/measure.js';
import type { WebhookClient } from '../harness/webhook-client.js';

export type PhaseSpec =
  /** Closed loop on the webhook alone: `connections` posters, each posting as soon as the last is acknowledged. */
  | { kind: 'ingest'; name: string; durationS: number; connections: number }
  /** Open loop: customer messages arrive at a fixed rate whatever the replies do. */
  | { kind: 'open'; name: string; durationS: number; rate: number }
  /** Closed loop on dialogs: each customer sends its next message once its last one is answered. */
  | { kind: 'closed'; name: string; durationS: number; customers: number };

export interface ProcessFigures {
  peakRssMb: number;
  cpuSeconds: number;
}

export interface PhaseResult {
  spec: PhaseSpec;
  description: string;
  loadSeconds: number;
  drainSeconds: number;
  deliveries: { acknowledged: number; refused: number; perSecond: number; ackMs: Percentiles };
  replies: { answered: number; perSecond: number; latencyMs: Percentiles };
  integrity: { lost: number; duplicated: number; outOfOrder: number; wrong: number; wrongSamples: string[] };
  processes: { api: ProcessFigures; worker: ProcessFigures; loadGenerator: { cpuSeconds: number } };
  timeline: TimelineSeries;
}

// An open-loop customer writes every THINK_SECONDS, so the population is rate × this.
const THINK_SECONDS = 2;
const CUSTOMERS_PER_INGEST_CONNECTION = 40;

export async function runPhase(
  system: HawkerSystem,
  businesses: Business[],
  client: WebhookClient,
  spec: PhaseSpec,
): Promise<PhaseResult> {
  await Promise.all([system.api.resetPeak(), system.worker.resetPeak()]);
  const before = await system.usage();
  const generatorBefore = process.cpuUsage();
  const timeline = new Timeline(performance.now());
  const run = new LoadRun(system, businesses, client, {
    ack: (at, ms) => timeline.acknowledged(at, ms),
    reply: (at, ms) => timeline.answered(at, ms),
  });
  const started = performance.now();
  await drive(run, spec);
  const loadSeconds = (performance.now() - started) / 1000;
  const answeredInWindow = run.answered;
  const drainSeconds = await run.drain();
  const after = await system.usage();
  const generator = process.cpuUsage(generatorBefore);
  run.close();
  const integrity = run.integrity();
  return {
    spec,
    description: describe(spec),
    loadSeconds: round(loadSeconds, 2),
    drainSeconds: round(drainSeconds, 2),
    deliveries: {
      acknowledged: run.acknowledged,
      refused: run.refused,
      perSecond: round(run.acknowledged / loadSeconds),
      ackMs: rounded(percentiles(run.ackLatencies)),
    },
    replies: {
      answered: run.answered,
      perSecond: round(answeredInWindow / loadSeconds),
      latencyMs: rounded(percentiles(run.replyLatencies)),
    },
    integrity: { ...integrity, wrongSamples: run.ledger.wrongSamples },
    processes: {
      api: figures(before.api, after.api),
      worker: figures(before.worker, after.worker),
      loadGenerator: { cpuSeconds: round((generator.user + generator.system) / 1e6, 2) },
    },
    timeline: timeline.series(),
  };
}

function drive(run: LoadRun, spec: PhaseSpec): Promise<void> {
  switch (spec.kind) {
    case 'ingest':
      return driveIngest(run, spec.durationS * 1000, spec.connections);
    case 'open':
      return driveOpenLoop(run, spec.durationS * 1000, spec.rate);
    case 'closed':
      return driveClosedLoop(run, spec.durationS * 1000, spec.customers);
  }
}

async function driveIngest(run: LoadRun, durationMs: number, connections: number): Promise<void> {
  const deadline = performance.now() + durationMs;
  const poster = async () => {
    // Each poster has customers of its own, so a customer's messages are posted in order.
    const mine = Array.from({ length: CUSTOMERS_PER_INGEST_CONNECTION }, () => run.newCustomer());
    for (let i = 0; performance.now() < deadline; i = (i + 1) % mine.length) {
      if (mine[i].finished) mine[i] = run.newCustomer();
      await run.sendNext(mine[i]);
    }
  };
  await Promise.all(Array.from({ length: connections }, poster));
}

async function driveOpenLoop(run: LoadRun, durationMs: number, rate: number): Promise<void> {
  const population = Array.from({ length: Math.max(50, Math.ceil(rate * THINK_SECONDS)) }, () => run.newCustomer());
  const scheduled = new Map<Customer, number>();
  // A phone sends a customer's messages one after another: each waits for the last to be taken.
  const lastPost = new Map<Customer, Promise<void>>();
  const started = performance.now();
  let sent = 0;
  let cursor = 0;
  while (performance.now() - started < durationMs) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++, cursor = (cursor + 1) % population.length) {
      let customer = population[cursor];
      if ((scheduled.get(customer) ?? 0) >= customer.steps.length) customer = population[cursor] = run.newCustomer();
      scheduled.set(customer, (scheduled.get(customer) ?? 0) + 1);
      const previous = lastPost.get(customer) ?? Promise.resolve();
      lastPost.set(
        customer,
        previous.then(() => run.sendNext(customer)),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(lastPost.values());
}

async function driveClosedLoop(run: LoadRun, durationMs: number, customers: number): Promise<void> {
  const deadline = performance.now() + durationMs;
  run.onAnswer(({ customer, step }) => {
    if (step !== customer.nextStep - 1 || performance.now() >= deadline) return;
    void run.sendNext(customer.finished ? run.newCustomer() : customer);
  });
  for (let i = 0; i < customers; i++) void run.sendNext(run.newCustomer());
  await new Promise((resolve) => setTimeout(resolve, durationMs));
}

function figures(before: ProcessUsage, after: ProcessUsage): ProcessFigures {
  return { peakRssMb: round(after.peakRssBytes / 2 ** 20), cpuSeconds: round(after.cpuSeconds - before.cpuSeconds, 2) };
}

function rounded(p: Percentiles): Percentiles {
  return { p50: round(p.p50), p95: round(p.p95), p99: round(p.p99), max: round(p.max) };
}

export function describe(spec: PhaseSpec): string {
  switch (spec.kind) {
    case 'ingest':
      return `webhook ingest, closed loop at ${spec.connections} connections, ${spec.durationS} s`;
    case 'open':
      return `dialogs, open loop at ${spec.rate} messages/s, ${spec.durationS} s`;
    case 'closed':
      return `dialogs, closed loop with ${spec.customers} customers, ${spec.durationS} s`;
  }
}
