export interface WriteBatcherOptions<Item, Result> {
  /** Writes a batch in one go; resolves with one result per item, in order, once it is durable. */
  write: (items: Item[]) => Promise<Result[]>;
  /** What an item weighs against the bounds (for the inbox: its rows). */
  sizeOf: (item: Item) => number;
  /** A batch stops growing here; an item heavier than this goes alone. */
  maxBatchSize: number;
  /** Past this much waiting, new items are refused at once rather than queued. */
  maxQueuedSize: number;
  /** Whether a batch that failed so is retried item by item: the error may be one item's fault. */
  retryAlone: (error: unknown) => boolean;
  /** The error an item is refused with when too much is waiting. */
  overloaded: () => Error;
}

interface Entry<Item, Result> {
  item: Item;
  size: number;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent writes: one batch is written at a time, and whatever arrives while it
 * is being written goes into the next. Each caller's promise settles with its own result once
 * its batch is durable, or with the batch's error — so a caller is never told its item was
 * written when it was not, and a failure reaches exactly the callers of the batch that failed.
 */
export class WriteBatcher<Item, Result> {
  private readonly queue: Entry<Item, Result>[] = [];
  private queuedSize = 0;
  private draining = false;

  constructor(private readonly options: WriteBatcherOptions<Item, Result>) {}

  submit(item: Item): Promise<Result> {
    const size = this.options.sizeOf(item);
    if (this.queue.length > 0 && this.queuedSize + size > this.options.maxQueuedSize) {
      return Promise.reject(this.options.overloaded());
    }
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, size, resolve, reject });
      this.queuedSize += size;
      if (!this.draining) {
        this.draining = true;
        // Wait for the rest of this turn of the event loop: what arrives with it shares the batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.flush(this.takeBatch());
    } finally {
      this.draining = false;
    }
  }

  private takeBatch(): Entry<Item, Result>[] {
    let size = this.queue[0].size;
    let count = 1;
    while (count < this.queue.length && size + this.queue[count].size <= this.options.maxBatchSize) {
      size += this.queue[count].size;
      count++;
    }
    this.queuedSize -= size;
    return this.queue.splice(0, count);
  }

  private async flush(batch: Entry<Item, Result>[]): Promise<void> {
    let results: Result[];
    try {
      results = await this.options.write(batch.map((entry) => entry.item));
    } catch (error) {
      if (batch.length > 1 && this.options.retryAlone(error)) {
        for (const entry of batch) await this.flush([entry]);
      } else {
        for (const entry of batch) entry.reject(error);
      }
      return;
    }
    batch.forEach((entry, i) => entry.resolve(results[i]));
  }
}
