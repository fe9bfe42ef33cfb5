import { Agent, request } from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
}

export interface RawHttp {
  send(method: string, path: string, headers: Record<string, string>, payload?: string | Buffer): Promise<RawResponse>;
  close(): void;
}

/**
 * A plain HTTP client over kept-alive sockets that sends bytes exactly as given: no JSON
 * encoding, no content type of its own, no redirects. Fastify's inject would be quicker, but
 * it loads an ES module with require(), which Jest refuses.
 */
export function rawHttp(baseUrl: string): RawHttp {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: false });
  return {
    send: (method, path, headers, payload) =>
      new Promise<RawResponse>((resolve, reject) => {
        const length = payload === undefined ? {} : { 'content-length': String(Buffer.byteLength(payload)) };
        const req = request(
          { host: hostname, port, method, path, agent, headers: { ...headers, ...length } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}
