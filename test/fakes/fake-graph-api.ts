import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerToken, parseJson, readBody } from './http-wire.js';
import {
  graphErrorBody,
  instagramProblem,
  isRecord,
  recipientOf,
  textOf,
  whatsAppProblem,
  whatsAppSuccess,
  withoutPlus,
  type WireProblem,
} from './fake-graph-api.wire.js';

/**
 * A fake Meta Graph API speaking the wire format of PLATFORM-APIS §2 and §3: WhatsApp Cloud
 * API and Instagram sends on `POST /:version/:id/messages`, token checks on
 * `GET /:version/:id`. Tests and the benchmark point the real clients at it.
 */

export interface RecordedMessage {
  /** The phone number id (WhatsApp) or Instagram account id the send was posted to. */
  accountId: string;
  accessToken: string;
  /** WhatsApp `to` as sent, or the Instagram `recipient.id`. */
  to: string;
  body: Record<string, unknown>;
  /** Text body, interactive body text, document caption or Instagram text, for convenience. */
  text?: string;
  at: number;
  providerMessageId: string;
}

export interface ReadReceipt {
  accountId: string;
  accessToken: string;
  messageId: string;
  at: number;
}

/** What failure filters see of an incoming request. */
export interface FakeRequest {
  method: string;
  path: string;
  accountId?: string;
  accessToken?: string;
  body: unknown;
  to?: string;
}

export type InjectedFailure =
  | { status: number; body?: unknown }
  /** Never answers until the server closes: the client's timeout must fire. */
  | 'hang'
  /** Destroys the socket without an answer. */
  | 'network';

export interface FakeAccountProfile {
  verifiedName?: string;
  displayPhoneNumber?: string;
  username?: string;
  name?: string;
}

export interface FakeGraphApiOptions {
  /** Delay before every answer, to imitate Meta's latency in the benchmark. */
  latencyMs?: number;
  /** Keep every message in `sent` (default); the benchmark counts through `onMessage` instead. */
  record?: boolean;
}

type RequestFilter = (request: FakeRequest) => boolean;
type MessageFilter = (message: RecordedMessage) => boolean;

interface FailureRule {
  remaining: number;
  failure: InjectedFailure;
  matches: RequestFilter;
}

interface Waiter {
  needed: number;
  matches: MessageFilter;
  matched: RecordedMessage[];
  resolve: (messages: RecordedMessage[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Account {
  accessToken: string;
  profile: FakeAccountProfile;
}

/** Ready-made answers from PLATFORM-APIS for `failNext` and `failWhile`. */
export const graphFailures = {
  serverError: { status: 500, body: 'Internal Server Error' },
  throughputLimit: { status: 400, body: graphErrorBody(130429, '(#130429) Rate limit hit') },
  pairRateLimit: { status: 400, body: graphErrorBody(131056, '(#131056) Pair rate limit hit') },
  spamRateLimit: { status: 400, body: graphErrorBody(131048, '(#131048) Spam rate limit hit') },
  outsideWindow: { status: 400, body: graphErrorBody(131047, '(#131047) Re-engagement message') },
  invalidToken: { status: 401, body: graphErrorBody(190, 'Error validating access token') },
  instagramOutsideWindow: {
    status: 400,
    body: graphErrorBody(10, 'This message is sent outside of allowed window.', { subcode: 2018278 }),
  },
} as const satisfies Record<string, InjectedFailure>;

const GRAPH_VERSION = /^v\d+(\.\d+)?$/;

export class FakeGraphApi {
  readonly sent: RecordedMessage[] = [];
  readonly readReceipts: ReadReceipt[] = [];
  /** Every request received, failed or not: retry tests count attempts with it. */
  requestCount = 0;
  /** Requests received and not yet answered. */
  inFlight = 0;
  /** When a request last arrived or was answered (Date.now()). */
  lastActivityAt = 0;

  private readonly accounts = new Map<string, Account>();
  private failureRules: FailureRule[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(message: RecordedMessage) => void>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly idPrefix = randomBytes(6).toString('hex').toUpperCase();
  private sequence = 0;
  private latencyMs: number;
  private readonly recording: boolean;

  constructor(
    private readonly server: Server,
    readonly url: string,
    options: FakeGraphApiOptions,
  ) {
    this.latencyMs = options.latencyMs ?? 0;
    this.recording = options.record ?? true;
  }

  /** Once registered, requests for this id must carry this token; unregistered ids accept any token. */
  registerAccount(accountId: string, accessToken: string, profile: FakeAccountProfile = {}): void {
    this.accounts.set(accountId, { accessToken, profile });
  }

  sentTo(to: string): RecordedMessage[] {
    const wanted = withoutPlus(to);
    return this.sent.filter((message) => withoutPlus(message.to) === wanted);
  }

  /** Resolves with every matching message once at least one has arrived. */
  waitFor(predicate: MessageFilter, timeoutMs = 5000): Promise<RecordedMessage[]> {
    return this.waitForCount(1, predicate, timeoutMs);
  }

  waitForCount(n: number, filter: MessageFilter = () => true, timeoutMs = 5000): Promise<RecordedMessage[]> {
    const matched = this.sent.filter(filter);
    if (matched.length >= n) return Promise.resolve(matched);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${n} message(s); ${matched.length} arrived`));
      }, timeoutMs);
      const waiter: Waiter = { needed: n, matches: filter, matched, resolve, reject, timer };
      this.waiters.add(waiter);
    });
  }

  /** The next `n` requests (that match `filter`, if given) fail this way. */
  failNext(n: number, failure: InjectedFailure, filter: RequestFilter = () => true): void {
    this.failureRules.push({ remaining: n, failure, matches: filter });
  }

  /**
   * Requests fail while `predicate` holds, e.g. `() => Date.now() < until` for an outage or
   * `(r) => r.to === '+234…'` for one customer. Returns a function that ends the failure.
   */
  failWhile(predicate: RequestFilter, failure: InjectedFailure): () => void {
    const rule: FailureRule = { remaining: Infinity, failure, matches: predicate };
    this.failureRules.push(rule);
    return () => {
      this.failureRules = this.failureRules.filter((candidate) => candidate !== rule);
    };
  }

  /** Calls `listener` with every message accepted from now on; returns the unsubscribe. */
  onMessage(listener: (message: RecordedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Forgets recorded traffic, injected failures and pending waits; registered accounts stay. */
  reset(): void {
    this.sent.length = 0;
    this.readReceipts.length = 0;
    this.requestCount = 0;
    this.failureRules = [];
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('The fake Graph API was reset while waiting'));
    }
    this.waiters.clear();
  }

  async close(): Promise<void> {
    this.reset();
    for (const response of this.hanging) response.socket?.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** Entry point for the HTTP server. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else respond(res, 500, graphErrorBody(1, `Fake Graph API failure: ${String(error)}`));
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requestCount++;
    this.inFlight++;
    this.lastActivityAt = Date.now();
    res.once('close', () => {
      this.inFlight--;
      this.lastActivityAt = Date.now();
    });
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const [version, id, edge, ...rest] = url.pathname.split('/').filter(Boolean);
    const rawBody = await readBody(req);
    const body = rawBody === '' ? undefined : parseJson(rawBody, rawBody);
    const accessToken = bearerToken(req) ?? url.searchParams.get('access_token') ?? undefined;
    const accountId = id === undefined ? undefined : this.resolveAccountId(id, accessToken);
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      accountId,
      accessToken,
      body,
      to: recipientOf(body),
    };

    if (this.latencyMs > 0) await delay(this.latencyMs);
    const failure = this.takeFailure(request);
    if (failure) return this.inject(failure, res);

    const isSend = req.method === 'POST' && edge === 'messages' && rest.length === 0;
    const isLookup = req.method === 'GET' && edge === undefined;
    if (!version || !GRAPH_VERSION.test(version) || !accountId || (!isSend && !isLookup)) {
      return respond(res, 400, graphErrorBody(100, `Unsupported ${req.method} request to ${url.pathname}`));
    }
    if (!this.isAuthorized(accountId, accessToken)) {
      return respond(res, 401, graphErrorBody(190, 'Error validating access token: the session is invalid.'));
    }
    if (isLookup) return respond(res, 200, this.profileFor(accountId, url.searchParams.get('fields')));
    if (!isRecord(body)) return respond(res, 400, graphErrorBody(100, 'The request body must be a JSON object'));
    return this.acceptSend({ accountId, accessToken: accessToken!, body }, res);
  }

  private acceptSend(
    send: { accountId: string; accessToken: string; body: Record<string, unknown> },
    res: ServerResponse,
  ): void {
    const { accountId, accessToken, body } = send;
    if (body.messaging_product === 'whatsapp' && body.status === 'read') {
      if (typeof body.message_id !== 'string')
        return respondProblem(res, { code: 131008, details: 'message_id is required' });
      this.readReceipts.push({ accountId, accessToken, messageId: body.message_id, at: Date.now() });
      return respond(res, 200, { success: true });
    }
    const isWhatsApp = body.messaging_product === 'whatsapp';
    const problem = isWhatsApp ? whatsAppProblem(body) : instagramProblem(body);
    if (problem) return respondProblem(res, problem);

    const to = recipientOf(body)!;
    const providerMessageId = this.nextMessageId(isWhatsApp ? 'wamid' : 'mid');
    this.record({ accountId, accessToken, to, body, text: textOf(body), at: Date.now(), providerMessageId });
    return respond(
      res,
      200,
      isWhatsApp ? whatsAppSuccess(to, providerMessageId, body) : { recipient_id: to, message_id: providerMessageId },
    );
  }

  private record(message: RecordedMessage): void {
    if (this.recording) this.sent.push(message);
    for (const listener of this.listeners) listener(message);
    for (const waiter of this.waiters) {
      if (!waiter.matches(message)) continue;
      waiter.matched.push(message);
      if (waiter.matched.length < waiter.needed) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(waiter.matched);
    }
  }

  private takeFailure(request: FakeRequest): InjectedFailure | undefined {
    const rule = this.failureRules.find((candidate) => candidate.matches(request));
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.failureRules = this.failureRules.filter((candidate) => candidate !== rule);
    return rule.failure;
  }

  private inject(failure: InjectedFailure, res: ServerResponse): void {
    if (failure === 'network') {
      res.socket?.destroy();
      return;
    }
    if (failure === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    respond(res, failure.status, failure.body ?? '');
  }

  /** Instagram allows 'me' for the account the token belongs to. */
  private resolveAccountId(id: string, accessToken: string | undefined): string {
    if (id !== 'me') return id;
    for (const [accountId, account] of this.accounts) if (account.accessToken === accessToken) return accountId;
    return id;
  }

  private isAuthorized(accountId: string, accessToken: string | undefined): boolean {
    if (!accessToken) return false;
    const account = this.accounts.get(accountId);
    return account === undefined || account.accessToken === accessToken;
  }

  private profileFor(accountId: string, fields: string | null): Record<string, string> {
    const profile = this.accounts.get(accountId)?.profile ?? {};
    const values: Record<string, string> = {
      verified_name: profile.verifiedName ?? 'Fake Business',
      display_phone_number: profile.displayPhoneNumber ?? '15550001111',
      username: profile.username ?? `fake_shop_${accountId}`,
      name: profile.name ?? 'Fake Shop',
    };
    const answer: Record<string, string> = { id: accountId };
    for (const field of (fields ?? '').split(',')) if (field in values) answer[field] = values[field]!;
    return answer;
  }

  private nextMessageId(prefix: 'wamid' | 'mid'): string {
    this.sequence++;
    return `${prefix}.FAKE${this.idPrefix}${this.sequence.toString(36).toUpperCase()}`;
  }
}

export async function startFakeGraphApi(options: FakeGraphApiOptions = {}): Promise<FakeGraphApi> {
  // The server needs its handler before the fake (which needs the server's port) exists.
  const ref: { fake?: FakeGraphApi } = {};
  const server = createServer((req, res) => ref.fake!.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ref.fake = new FakeGraphApi(server, `http://127.0.0.1:${port}`, options);
  return ref.fake;
}

function respondProblem(res: ServerResponse, problem: WireProblem): void {
  const message =
    problem.code === 131008 ? '(#131008) Required parameter is missing' : `(#${problem.code}) Invalid parameter`;
  respond(res, 400, graphErrorBody(problem.code, message, { details: problem.details }));
}

function respond(res: ServerResponse, status: number, body: unknown): void {
  const isText = typeof body === 'string';
  res.writeHead(status, { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json' });
  res.end(isText ? body : JSON.stringify(body));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
