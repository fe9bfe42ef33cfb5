interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded in-process cache: each entry lives for its own TTL, and when the cache is full
 * the least recently used entry goes. A Map keeps insertion order, so re-inserting on every
 * hit makes its first key the least recently used one.
 */
export class TtlLruCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    if (maxEntries < 1) throw new Error('TtlLruCache needs room for at least one entry');
  }

  /** The cached value wrapped, so that a cached `undefined` (a negative answer) differs from a miss. */
  lookup(key: K): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return { value: entry.value };
  }

  set(key: K, value: V, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
