import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import { LlmError, type LlmErrorKind } from './llm-client.js';

/**
 * One circuit breaker per tenant around the AI call. Per tenant, because one tenant's
 * failures (a rejected model, a flood of long conversations) must not send every other
 * tenant to the fallback; a provider-wide outage opens each active tenant's breaker within
 * a few messages anyway.
 */

export interface TenantBreakersOptions {
  /** How long an open breaker waits before letting one trial call through. */
  resetTimeoutMs?: number;
  /** Breakers kept; the least recently used one is dropped (and forgets its state) beyond it. */
  maxTenants?: number;
}

/** Thrown by `run` while the tenant's breaker is open: answer with the fallback. */
export class BreakerOpenError extends Error {
  constructor(readonly tenantId: string) {
    super(`The AI circuit breaker of tenant ${tenantId} is open`);
    this.name = 'BreakerOpenError';
  }
}

/**
 * Failures that say the provider is unwell. A `rejected` call (a 4xx other than 429) is
 * our request's fault and says nothing of the provider's health; other errors are bugs.
 */
const COUNTED: ReadonlySet<LlmErrorKind> = new Set(['timeout', 'rate_limited', 'unavailable', 'malformed']);

const ROLLING_WINDOW_MS = 30_000;
const ROLLING_BUCKETS = 10;

type Action = () => Promise<unknown>;

export class TenantBreakers {
  private readonly breakers = new Map<string, CircuitBreaker<[Action], unknown>>();
  private readonly resetTimeoutMs: number;
  private readonly maxTenants: number;
  /**
   * opossum gives every breaker its own bucket-rotation interval; thousands of tenants
   * would mean thousands of timers. One shared clock rotates them all.
   */
  private readonly clock = new EventEmitter();
  private readonly rotation: NodeJS.Timeout;

  constructor(options: TenantBreakersOptions = {}) {
    this.resetTimeoutMs = options.resetTimeoutMs ?? 30_000;
    this.maxTenants = Math.max(1, options.maxTenants ?? 10_000);
    this.clock.setMaxListeners(0);
    this.rotation = setInterval(() => this.clock.emit('rotate'), ROLLING_WINDOW_MS / ROLLING_BUCKETS);
    this.rotation.unref();
  }

  /**
   * True while a call would be refused: open, or half-open with its one trial call in
   * flight. A tenant without a breaker yet is closed.
   */
  isOpen(tenantId: string): boolean {
    const breaker = this.breakers.get(tenantId);
    return breaker !== undefined && !breaker.closed && !breaker.pendingClose;
  }

  /** Runs `fn` through the tenant's breaker; throws `BreakerOpenError` instead while it is open. */
  async run<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    const breaker = this.breakerFor(tenantId);
    try {
      return (await breaker.fire(fn)) as T;
    } catch (error) {
      if (error instanceof Error && CircuitBreaker.isOurError(error)) throw new BreakerOpenError(tenantId);
      throw error;
    }
  }

  /** Stops the shared clock and every breaker's timers; for shutdown and tests. */
  close(): void {
    clearInterval(this.rotation);
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }

  private breakerFor(tenantId: string): CircuitBreaker<[Action], unknown> {
    const existing = this.breakers.get(tenantId);
    if (existing) {
      // Map keeps insertion order: re-inserting makes this tenant the most recently used.
      this.breakers.delete(tenantId);
      this.breakers.set(tenantId, existing);
      return existing;
    }
    if (this.breakers.size >= this.maxTenants) {
      const [oldestId, oldest] = this.breakers.entries().next().value!;
      this.breakers.delete(oldestId);
      oldest.shutdown();
    }
    const breaker = new CircuitBreaker<[Action], unknown>((action: Action) => action(), {
      name: `ai:${tenantId}`,
      // The LLM client enforces its own deadline; a second timer here would only race it.
      timeout: false,
      volumeThreshold: 3,
      errorThresholdPercentage: 50,
      rollingCountTimeout: ROLLING_WINDOW_MS,
      rollingCountBuckets: ROLLING_BUCKETS,
      resetTimeout: this.resetTimeoutMs,
      rotateBucketController: this.clock,
      enableSnapshots: false,
      rollingPercentilesEnabled: false,
      // `true` means "not a failure": opossum then counts the call as a success.
      errorFilter: (error: unknown) => !(error instanceof LlmError && COUNTED.has(error.kind)),
    });
    this.breakers.set(tenantId, breaker);
    return breaker;
  }
}
