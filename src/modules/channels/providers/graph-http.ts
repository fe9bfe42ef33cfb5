import { classifyGraphError, ProviderError, type ProviderFailure } from './graph-errors.js';

export interface GraphClientOptions {
  /** Graph host without the version, e.g. 'https://graph.facebook.com'; a fake's URL in tests. */
  baseUrl: string;
  /** e.g. 'v23.0'. */
  version: string;
  timeoutMs: number;
}

export type FetchFn = typeof globalThis.fetch;

/** What a successful send returns, whichever Meta channel it went through. */
export interface SendResult {
  /** The wamid (WhatsApp) or mid (Instagram) that delivery-status webhooks refer to. */
  providerMessageId: string;
}

type Query = Record<string, string>;

/**
 * The HTTP part shared by the Meta clients: URL building, bearer auth, timeout and turning
 * every failure into a ProviderError. Tokens travel only in the Authorization header, so
 * they never appear in a URL that an error or a proxy log might show.
 */
export class GraphHttp {
  private readonly baseUrl: string;

  constructor(
    private readonly options: GraphClientOptions,
    private readonly fetchFn: FetchFn,
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  post(accessToken: string, path: string[], body: unknown): Promise<unknown> {
    return this.request(accessToken, this.url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  get(accessToken: string, path: string[], query: Query = {}): Promise<unknown> {
    return this.request(accessToken, this.url(path, query), { method: 'GET' });
  }

  private url(path: string[], query: Query = {}): string {
    const segments = [this.options.version, ...path].map(encodeURIComponent).join('/');
    const search = new URLSearchParams(query).toString();
    return `${this.baseUrl}/${segments}${search ? `?${search}` : ''}`;
  }

  private async request(accessToken: string, url: string, init: RequestInit): Promise<unknown> {
    const fetchFn = this.fetchFn;
    const headers = { ...(init.headers as Record<string, string>), authorization: `Bearer ${accessToken}` };
    try {
      const response = await fetchFn(url, { ...init, headers, signal: AbortSignal.timeout(this.options.timeoutMs) });
      const payload = await readPayload(response);
      if (!response.ok) {
        const failure = classifyGraphError({ httpStatus: response.status, body: payload });
        throw new ProviderError(redactToken(failure, accessToken));
      }
      return payload;
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      // The timeout can fire while the body is still arriving, so it is caught here as well.
      if (isTimeout(error)) throw new ProviderError(classifyGraphError({ timedOut: true }));
      throw new ProviderError(classifyGraphError({ networkError: true, detail: networkDetail(error) }));
    }
  }
}

/** Reads a string at a path of a parsed JSON payload, or undefined when anything is missing. */
export function readString(payload: unknown, ...path: (string | number)[]): string | undefined {
  let current = payload;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return typeof current === 'string' ? current : undefined;
}

async function readPayload(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Proxies and load balancers answer errors in HTML; the status still classifies them.
    return text;
  }
}

/**
 * Errors are read by shape, not with `instanceof`: fetch's DOMException and TypeError can
 * come from another realm (Node's internals, Jest's VM context) than this module's Error.
 */
function isTimeout(error: unknown): boolean {
  return propertyOf(error, 'name') === 'TimeoutError';
}

/** Only the error code (ECONNREFUSED, …): a message could quote request details. */
function networkDetail(error: unknown): string | undefined {
  const code = propertyOf(propertyOf(error, 'cause'), 'code');
  return typeof code === 'string' ? code : undefined;
}

function propertyOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Graph does not normally echo the token, but a reason ends up in logs and the database. */
function redactToken(failure: ProviderFailure, accessToken: string): ProviderFailure {
  if (accessToken === '' || !failure.reason.includes(accessToken)) return failure;
  return { ...failure, reason: failure.reason.split(accessToken).join('[redacted]') };
}
