import type { IncomingMessage } from 'node:http';

/** The helpers every fake provider server needs to read a request. */

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The parsed JSON, or `fallback` when the text is not JSON (a fake records what it got). */
export function parseJson(text: string, fallback: unknown = undefined): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

export function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}
