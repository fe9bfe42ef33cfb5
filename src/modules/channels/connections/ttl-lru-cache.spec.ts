import { TtlLruCache } from './ttl-lru-cache.js';

describe('TtlLruCache', () => {
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    clock = 1_000;
  });

  it('serves an entry until its own TTL has passed', () => {
    const cache = new TtlLruCache<string, string>(10, now);
    cache.set('long', 'a', 30_000);
    cache.set('short', 'b', 5_000);

    clock += 4_999;
    expect(cache.lookup('short')).toEqual({ value: 'b' });
    clock += 1;
    expect(cache.lookup('short')).toBeUndefined();
    expect(cache.lookup('long')).toEqual({ value: 'a' });
    clock += 25_000;
    expect(cache.lookup('long')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('tells a cached undefined apart from a miss', () => {
    const cache = new TtlLruCache<string, string | undefined>(10, now);
    cache.set('unknown', undefined, 5_000);

    expect(cache.lookup('unknown')).toEqual({ value: undefined });
    expect(cache.lookup('never-set')).toBeUndefined();
  });

  it('evicts the least recently used entry when full, counting reads as use', () => {
    const cache = new TtlLruCache<string, number>(2, now);
    cache.set('a', 1, 60_000);
    cache.set('b', 2, 60_000);
    cache.lookup('a');
    cache.set('c', 3, 60_000);

    expect(cache.lookup('b')).toBeUndefined();
    expect(cache.lookup('a')).toEqual({ value: 1 });
    expect(cache.lookup('c')).toEqual({ value: 3 });
    expect(cache.size).toBe(2);
  });

  it('forgets a deleted entry and replaces an entry set again', () => {
    const cache = new TtlLruCache<string, number>(2, now);
    cache.set('a', 1, 60_000);
    cache.set('a', 2, 60_000);
    expect(cache.lookup('a')).toEqual({ value: 2 });
    cache.delete('a');
    expect(cache.lookup('a')).toBeUndefined();
  });
});
