import { fromBuffer, open, type Entry, type ZipFile } from 'yauzl';

/** Every entry of a zip, by name, each read whole (yauzl checks every entry's CRC as it goes). */
export async function zipEntries(source: Buffer | string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<ZipFile>((resolve, reject) => {
    const opened = (error: Error | null, file: ZipFile) => (error ? reject(error) : resolve(file));
    if (typeof source === 'string') open(source, { lazyEntries: true }, opened);
    else fromBuffer(source, { lazyEntries: true }, opened);
  });
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  zip.close();
  return entries;
}
