import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PrivateRedis } from '../../support/private-redis.js';
import { paidSession, type Customer } from '../harness/dialog.js';
import { call, openBusinesses } from '../harness/fleet.js';
import { HawkerSystem } from '../harness/hawker-system.js';
import { LoadRun } from '../harness/load-run.js';
import { round } from '../harness/measure.js';
import { PrivatePostgres } from '../harness/private-postgres.js';
import { WebhookClient } from '../harness/webhook-client.js';
import { checkLedger, checkRecords, type Finding } from './checks.js';
import { describe, FAULTS, type FaultScene, type Refusals } from './faults.js';

const BUSINESSES = 4;
const CUSTOMERS = 24;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface FaultRecord {
  fault: string;
  atSeconds: number;
  lastedSeconds: number;
  observed: string;
}

/**
 * Customers chat and pay without pause while Redis, PostgreSQL, the worker and the Graph API
 * fail one after another; then every reply, order, payment and invoice is accounted for.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { faults: { type: 'string', default: 'redis,postgres,worker,graph' } } });
  const chosen = new Set(values.faults.split(','));
  const root = resolve(import.meta.dirname, '../../../..');
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) / 100) / 10;
  const log = (line: string) => process.stdout.write(`[${elapsed().toFixed(1).padStart(6)} s] ${line}\n`);

  const postgres = await PrivatePostgres.create();
  postgres.start();
  const redis = await PrivateRedis.start();
  log(`own PostgreSQL on port ${postgres.port}, own Redis on port ${redis.port}`);
  const system = await HawkerSystem.start({
    root,
    postgresUrl: postgres.url,
    redisUrl: redis.url,
    logLevel: 'warn',
    // Retries and sweeps sooner than in production, so recovery fits in a CI run.
    env: { DELIVERY_RETRY_BASE_MS: '250', MAINTENANCE_INTERVAL_MS: '2000' },
  });
  const db = new pg.Pool({ connectionString: system.databaseUrl, max: 2 });
  db.on('error', () => undefined);
  const client = new WebhookClient(system.apiUrl, system.appSecret, 20);
  const faults: FaultRecord[] = [];
  const faultFindings: Finding[] = [];
  let findings: Finding[] = [];
  try {
    const businesses = await openBusinesses(system.apiUrl, system.graph, BUSINESSES);
    const run = new LoadRun(system, businesses, client, {}, paidSession);
    const recordPayment = (customer: Customer) => recordTransfer(system.apiUrl, db, customer);
    const chat = keepChatting(run, CUSTOMERS, recordPayment);
    log(`${CUSTOMERS} customers chatting with ${BUSINESSES} businesses`);
    await sleep(10_000);

    const scene: FaultScene = { system, postgres, redis, run, join: chat.join };
    for (const fault of FAULTS.filter((candidate) => chosen.has(candidate.kind))) {
      const at = elapsed();
      log(`fault: ${fault.description}`);
      const before = new Map(run.refusals);
      const observed = await fault.inject(scene);
      const refusals: Refusals = new Map(
        [...run.refusals]
          .map(([status, count]) => [status, count - (before.get(status) ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
      const answers = describe(refusals);
      const summary = [observed, answers && `webhook answers retried: ${answers}`].filter(Boolean).join('; ');
      faults.push({ fault: fault.description, atSeconds: at, lastedSeconds: round(elapsed() - at), observed: summary });
      if (fault.check) faultFindings.push(fault.check(refusals));
      log(`  ended: ${summary || 'nothing to note'}`);
      await sleep(15_000);
    }

    chat.stop();
    log('customers stop starting new messages; waiting for every reply owed');
    const drained = await run.drain(90_000);
    log(`drained in ${drained.toFixed(1)} s`);
    findings = [...faultFindings, ...checkLedger(run), ...(await checkRecords(db, run.ledger.all))];
    const report = { faults, customers: run.ledger.all.length, integrity: run.integrity(), findings };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(
      join('bench-results', `resilience-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
      JSON.stringify(report, null, 2),
    );
    printReport(faults, run, findings, started);
    run.close();
  } finally {
    await client.close();
    await db.end().catch(() => undefined);
    await system.stop({ keepData: true }).catch(() => undefined);
    await redis.stop();
    postgres.destroy();
  }
  process.exitCode = findings.some((finding) => !finding.ok) ? 1 : 0;
}

/** Closed loop: each customer takes its next step once the last one is answered, until stopped. */
function keepChatting(run: LoadRun, customers: number, staffAction: (customer: Customer) => Promise<void>) {
  let stopped = false;
  const take = (customer: Customer) => void run.takeNextStep(customer, staffAction);
  run.onAnswer(({ customer, step }) => {
    if (stopped || step !== customer.nextStep - 1) return;
    take(customer.finished ? run.newCustomer() : customer);
  });
  const join = (count: number) => {
    for (let i = 0; i < count; i++) take(run.newCustomer());
  };
  join(customers);
  return { join, stop: () => (stopped = true) };
}

/**
 * Staff record the customer's bank transfer through the API, retrying through outages as a
 * person would; a 409 `duplicate_payment` means an earlier try went through.
 */
async function recordTransfer(apiUrl: string, db: pg.Pool, customer: Customer): Promise<void> {
  const { tenantId, auth } = customer.business;
  for (let attempt = 0; ; attempt++) {
    try {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM orders WHERE tenant_id = $1 AND number = $2', [
        tenantId,
        customer.orderNumber,
      ]);
      await call(
        apiUrl,
        'POST',
        `/v1/tenants/${tenantId}/orders/${rows[0].id}/payments`,
        { method: 'bank_transfer', amountMinor: customer.totalMinor, reference: `TRF-${customer.number}` },
        auth,
      );
      return;
    } catch (error) {
      if (/duplicate_payment/.test(String(error))) return;
      await sleep(Math.min(250 * 2 ** attempt, 2000));
    }
  }
}

function printReport(faults: FaultRecord[], run: LoadRun, findings: Finding[], started: number): void {
  const lines = ['', 'Resilience report', '', 'Faults injected while customers chatted:'];
  for (const fault of faults)
    lines.push(
      `  at ${fault.atSeconds} s, for ${fault.lastedSeconds} s: ${fault.fault}${fault.observed ? ` — ${fault.observed}` : ''}`,
    );
  const integrity = run.integrity();
  lines.push(
    '',
    `Customers: ${run.ledger.all.length}; replies received: ${integrity.replies}`,
    `Lost ${integrity.lost}, duplicated ${integrity.duplicated}, out of order ${integrity.outOfOrder}, misdirected or unexpected ${integrity.wrong}`,
    '',
    ...run.ledger.duplicates.map(
      (duplicate) =>
        `  duplicate at ${((duplicate.at - started) / 1000).toFixed(1)} s (first at ${(((duplicate.firstAt ?? 0) - started) / 1000).toFixed(1)} s) to ${duplicate.customer}: ${JSON.stringify(duplicate.text)}`,
    ),
    '',
    'Checks:',
    ...findings.map(
      (finding) => `  ${finding.ok ? 'ok  ' : 'FAIL'} ${finding.check}${finding.detail ? ` — ${finding.detail}` : ''}`,
    ),
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
// Customers still retrying against a system that never recovered would keep the process alive:
// the verdict is in, so end here with it.
process.exit(process.exitCode ?? 0);
