export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of a sample, in its own unit; zeros for an empty sample. */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: rank(50), p95: rank(95), p99: rank(99), max: sorted[sorted.length - 1] };
}

export interface TimelineSeries {
  /** Seconds since the phase started, one point per second. */
  second: number[];
  acknowledgedPerSecond: number[];
  answeredPerSecond: number[];
  ackP99Ms: number[];
  replyP50Ms: number[];
  replyP99Ms: number[];
}

/** Per-second buckets of a phase, for the report's charts. */
export class Timeline {
  private readonly acks: number[][] = [];
  private readonly replies: number[][] = [];

  constructor(private readonly startedAt: number) {}

  acknowledged(at: number, latencyMs: number): void {
    this.bucket(this.acks, at).push(latencyMs);
  }

  answered(at: number, latencyMs: number): void {
    this.bucket(this.replies, at).push(latencyMs);
  }

  series(): TimelineSeries {
    const seconds = Math.max(this.acks.length, this.replies.length);
    const series: TimelineSeries = {
      second: [],
      acknowledgedPerSecond: [],
      answeredPerSecond: [],
      ackP99Ms: [],
      replyP50Ms: [],
      replyP99Ms: [],
    };
    for (let s = 0; s < seconds; s++) {
      const acks = this.acks[s] ?? [];
      const replies = this.replies[s] ?? [];
      series.second.push(s);
      series.acknowledgedPerSecond.push(acks.length);
      series.answeredPerSecond.push(replies.length);
      series.ackP99Ms.push(round(percentiles(acks).p99));
      const reply = percentiles(replies);
      series.replyP50Ms.push(round(reply.p50));
      series.replyP99Ms.push(round(reply.p99));
    }
    return series;
  }

  private bucket(buckets: number[][], at: number): number[] {
    const second = Math.max(0, Math.floor((at - this.startedAt) / 1000));
    while (buckets.length <= second) buckets.push([]);
    return buckets[second];
  }
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
