import { WriteBatcher, type WriteBatcherOptions } from './write-batcher.js';

/** A store that records each batch it is asked to write and lets the test decide when it finishes. */
class ScriptedStore {
  readonly batches: string[][] = [];
  private readonly pending: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  /** Items whose presence fails the batch they are in, as a value Postgres refuses would. */
  readonly poison = new Set<string>();

  write = (items: string[]): Promise<string[]> => {
    this.batches.push(items);
    const bad = items.find((item) => this.poison.has(item));
    if (bad) return Promise.reject(Object.assign(new Error(`refused ${bad}`), { code: '23514' }));
    return new Promise<void>((resolve, reject) => this.pending.push({ resolve, reject })).then(() =>
      items.map((item) => `stored ${item}`),
    );
  };

  /** Lets the oldest write still under way commit. */
  async finishOne(): Promise<void> {
    await until(() => this.pending.length > 0);
    this.pending.shift()!.resolve();
  }

  async failOne(error: unknown): Promise<void> {
    await until(() => this.pending.length > 0);
    this.pending.shift()!.reject(error);
  }
}

function batcherOver(store: ScriptedStore, options: Partial<WriteBatcherOptions<string, string>> = {}) {
  return new WriteBatcher<string, string>({
    write: store.write,
    sizeOf: (item) => Number(/\d+$/.exec(item)?.[0] ?? 1),
    maxBatchSize: 100,
    maxQueuedSize: 1_000,
    retryAlone: (error) => (error as { code?: string }).code === '23514',
    overloaded: () => new Error('overloaded'),
    ...options,
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** Settles without throwing, so a test can look at each caller's outcome. */
const outcome = (promise: Promise<string>) =>
  promise.then(
    (value) => ({ value }),
    (error: Error) => ({ error: error.message }),
  );

describe('WriteBatcher', () => {
  it('writes what arrives in one turn of the event loop as one batch, each caller getting its own result', async () => {
    const store = new ScriptedStore();
    const batcher = batcherOver(store);
    const answers = Promise.all(['a', 'b', 'c'].map((item) => batcher.submit(item)));
    await store.finishOne();

    expect(await answers).toEqual(['stored a', 'stored b', 'stored c']);
    expect(store.batches).toEqual([['a', 'b', 'c']]);
  });

  it('queues what arrives while a batch is being written and writes it all as the next batch', async () => {
    const store = new ScriptedStore();
    const batcher = batcherOver(store);
    const first = batcher.submit('a');
    await until(() => store.batches.length === 1);
    const later = [batcher.submit('b'), batcher.submit('c')];
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // Nothing more is written while the first batch has not committed.
    expect(store.batches).toEqual([['a']]);

    await store.finishOne();
    expect(await first).toBe('stored a');
    await store.finishOne();
    expect(await Promise.all(later)).toEqual(['stored b', 'stored c']);
    expect(store.batches).toEqual([['a'], ['b', 'c']]);
  });

  it('does not answer a caller before its batch has committed', async () => {
    const store = new ScriptedStore();
    const batcher = batcherOver(store);
    let answered = false;
    const answer = batcher.submit('a').then(() => (answered = true));
    await until(() => store.batches.length === 1);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);

    await store.finishOne();
    await answer;
    expect(answered).toBe(true);
  });

  it('fails every caller of a batch that failed, and only them', async () => {
    const store = new ScriptedStore();
    const batcher = batcherOver(store);
    const failing = [batcher.submit('a'), batcher.submit('b')].map(outcome);
    await until(() => store.batches.length === 1);
    const next = outcome(batcher.submit('c'));

    await store.failOne(new Error('connection terminated'));
    expect(await Promise.all(failing)).toEqual([
      { error: 'connection terminated' },
      { error: 'connection terminated' },
    ]);
    await store.finishOne();
    expect(await next).toEqual({ value: 'stored c' });
    expect(store.batches).toEqual([['a', 'b'], ['c']]);
  });

  it('retries a batch one item at a time when the error may be one item’s fault, so only that item fails', async () => {
    const store = new ScriptedStore();
    store.poison.add('bad');
    const batcher = batcherOver(store);
    const answers = Promise.all(['a', 'bad', 'c'].map((item) => outcome(batcher.submit(item))));
    await store.finishOne();
    await store.finishOne();

    expect(await answers).toEqual([{ value: 'stored a' }, { error: 'refused bad' }, { value: 'stored c' }]);
    expect(store.batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  it('bounds a batch by size, sending an item heavier than the bound alone', async () => {
    const store = new ScriptedStore();
    const batcher = batcherOver(store, { maxBatchSize: 10 });
    const answers = Promise.all(['a4', 'b5', 'c3', 'd40', 'e1'].map((item) => batcher.submit(item)));
    for (let i = 0; i < 4; i++) await store.finishOne();

    await answers;
    expect(store.batches).toEqual([['a4', 'b5'], ['c3'], ['d40'], ['e1']]);
  });

  it('refuses new items at once when too much is already waiting', async () => {
    const store = new ScriptedStore();
    const batcher = batcherOver(store, { maxQueuedSize: 10 });
    const queued = batcher.submit('a8');

    await expect(batcher.submit('b5')).rejects.toThrow('overloaded');
    await store.finishOne();
    expect(await queued).toBe('stored a8');
    // Once the queue has drained there is room again.
    const again = batcher.submit('c5');
    await store.finishOne();
    expect(await again).toBe('stored c5');
  });
});
