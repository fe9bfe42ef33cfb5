import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PhaseResult } from './phases.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  redis: string;
}

export interface BenchReport {
  startedAt: string;
  command: string;
  machine: Machine;
  setup: { tenants: number; logLevel: string; connections: number; graphLatencyMs: number };
  phases: PhaseResult[];
}

/** The figures as a plain-text table, one row per phase. */
export function table(report: BenchReport): string {
  const header = [
    'phase',
    'acked/s',
    'ack p50/p95/p99 ms',
    'answered/s',
    'reply p50/p95/p99 ms',
    'lost',
    'dup',
    'order',
    'wrong',
    'api MB',
    'api cpu s',
    'wrk MB',
    'wrk cpu s',
    'drain s',
  ];
  const rows = report.phases.map((p) => [
    p.spec.name,
    String(p.deliveries.perSecond),
    triple(p.deliveries.ackMs),
    String(p.replies.perSecond),
    triple(p.replies.latencyMs),
    String(p.integrity.lost),
    String(p.integrity.duplicated),
    String(p.integrity.outOfOrder),
    String(p.integrity.wrong),
    String(p.processes.api.peakRssMb),
    String(p.processes.api.cpuSeconds),
    String(p.processes.worker.peakRssMb),
    String(p.processes.worker.cpuSeconds),
    String(p.drainSeconds),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i])).join('  ');
  const m = report.machine;
  return [
    `Machine: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Linux ${m.kernel}; Node ${m.node}; ${m.postgres}; Redis ${m.redis}`,
    `Set-up: ${report.setup.tenants} businesses, ${report.setup.connections} webhook connections, ` +
      `Graph API latency ${report.setup.graphLatencyMs} ms, LOG_LEVEL=${report.setup.logLevel}; ` +
      'load generator, PostgreSQL and Redis on the same machine',
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}

const triple = (p: { p50: number; p95: number; p99: number }) => `${p.p50}/${p.p95}/${p.p99}`;

/** A self-contained page: latency and throughput over time for each phase, drawn by uPlot. */
export function html(report: BenchReport): string {
  const require = createRequire(import.meta.url);
  const script = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const style = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hawker benchmark ${report.startedAt}</title>
<style>${style}
body{font:14px system-ui,sans-serif;margin:24px;max-width:1100px}pre{background:#f6f6f6;padding:12px;overflow:auto}
h2{margin-top:32px}</style></head><body>
<h1>Hawker benchmark</h1>
<p id="meta"></p><pre id="table"></pre><div id="phases"></div>
<script>${script}</script>
<script>
const report = ${data};
const esc = (s) => String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
document.getElementById('meta').innerHTML = esc(report.command) + ' — ' + esc(report.startedAt);
document.getElementById('table').textContent = ${JSON.stringify(table(report))};
const chart = (title, label, t, series, target) => new uPlot({
  title, width: 1000, height: 260,
  scales: { x: { time: false } },
  axes: [{ label: 'seconds since the phase started' }, { label }],
  series: [{ label: 's' }, ...series.map(([name, , stroke]) => ({ label: name, stroke, width: 2 }))],
}, [t.second, ...series.map(([, values]) => values)], target);
for (const phase of report.phases) {
  const section = document.createElement('section');
  section.innerHTML = '<h2>' + esc(phase.spec.name) + '</h2><p>' + esc(phase.description) + '</p>';
  document.getElementById('phases').append(section);
  const t = phase.timeline;
  chart('Latency over time', 'ms', t, [
    ['webhook ack p99', t.ackP99Ms, '#d62728'],
    ['reply p50', t.replyP50Ms, '#1f77b4'],
    ['reply p99', t.replyP99Ms, '#9467bd'],
  ], section);
  chart('Throughput over time', 'per second', t, [
    ['deliveries acknowledged', t.acknowledgedPerSecond, '#2ca02c'],
    ['messages answered', t.answeredPerSecond, '#ff7f0e'],
  ], section);
}
</script></body></html>
`;
}
