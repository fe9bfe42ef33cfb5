import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';

/**
 * Writes a zip archive to a new file, one entry at a time, streaming: an entry's content
 * is pulled from an async iterable only as fast as the deflater and the disk take it, so
 * memory holds a page of rows, never a table. `finish` returns only once every byte is on
 * disk (the file is fsynced before it is closed), ready to be renamed into place.
 */
export class ZipArchiveWriter {
  private readonly zip = new ZipFile();
  private readonly out: WriteStream;
  private readonly closed: Promise<unknown>;
  private failure?: Error;
  private readonly failed: Promise<never>;

  /** Creates `path`, which must not exist yet. */
  constructor(path: string) {
    this.out = createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true });
    this.closed = once(this.out, 'close');
    this.closed.catch(() => undefined);
    this.failed = new Promise<never>((_, reject) => {
      const fail = (error: Error) => {
        this.failure ??= error;
        reject(error);
      };
      this.zip.outputStream.on('error', fail);
      this.out.on('error', fail);
    });
    // Awaited through `race` below; never left unhandled.
    this.failed.catch(() => undefined);
    this.zip.outputStream.pipe(this.out);
  }

  async addEntry(name: string, content: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<void> {
    this.throwIfFailed();
    const entry = new PassThrough();
    this.zip.addReadStream(entry, name, { mtime: new Date(), mode: 0o100600 });
    try {
      for await (const chunk of content) {
        if (!entry.write(chunk)) await this.race(once(entry, 'drain'));
      }
      entry.end();
      // The entry is complete once yazl has read all of it.
      await this.race(finished(entry));
    } catch (error) {
      entry.destroy();
      throw error;
    }
  }

  addFile(name: string, content: Buffer | string): Promise<void> {
    return this.addEntry(name, [content]);
  }

  /** Ends the archive and makes it durable; returns its size in bytes. */
  async finish(): Promise<number> {
    this.throwIfFailed();
    this.zip.end();
    // `flush` fsyncs the file before it is closed.
    await this.race(this.closed);
    this.throwIfFailed();
    return this.out.bytesWritten;
  }

  /** Stops writing and closes the file (the caller removes it). */
  async abort(): Promise<void> {
    this.zip.outputStream.unpipe(this.out);
    this.out.destroy();
    await this.closed;
  }

  private race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.failed]);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
