import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Paystack speaking the wire format of PLATFORM-APIS §5: `POST /transaction/initialize`
 * and `GET /transaction/verify/:reference` behind `Authorization: Bearer <secret key>`, plus
 * signed webhook bodies for tests to post. Each registered key is its own Paystack account:
 * a transaction is visible only to the key that initialized it.
 */

export interface InitializeRecord {
  secretKey: string;
  /** The request body as sent. */
  body: Record<string, unknown>;
  reference: string;
  accessCode: string;
  authorizationUrl: string;
  at: number;
}

/** What verify answers for a reference; unset fields come from the initialized transaction. */
export interface VerifyScript {
  status?: string;
  amount?: number;
  currency?: string;
  /** Sent as given: an object, a JSON string or "" (Paystack returns all three). */
  metadata?: unknown;
  paidAt?: string;
}

export type PaystackFailure = { status: number; body?: unknown } | 'network';

export interface FakePaystackRequest {
  method: string;
  path: string;
  secretKey?: string;
}

interface FailureRule {
  remaining: number;
  failure: PaystackFailure;
  matches: (request: FakePaystackRequest) => boolean;
}

interface Transaction {
  id: number;
  record: InitializeRecord;
}

export interface SignedWebhook {
  /** The exact bytes to post: the signature covers them. */
  body: string;
  signature: string;
}

const REFERENCE = /^[A-Za-z0-9.=-]{1,100}$/;

export class FakePaystack {
  readonly initialized: InitializeRecord[] = [];
  readonly verifyCalls: { secretKey: string; reference: string }[] = [];
  /** Every request received, failed or not: retry tests count attempts with it. */
  requestCount = 0;

  private readonly keys = new Set<string>();
  private readonly transactions = new Map<string, Transaction>();
  private readonly scripts = new Map<string, VerifyScript>();
  private failureRules: FailureRule[] = [];
  private nextId = 4_099_260_000 + Math.floor(Math.random() * 1000);

  constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Only registered keys are accepted (401 otherwise), as with a real account's keys. */
  registerKey(secretKey: string): void {
    this.keys.add(secretKey);
  }

  /** Verify answers for `reference` with these values from now on. */
  scriptVerify(reference: string, script: VerifyScript): void {
    this.scripts.set(reference, script);
  }

  /** The next `n` requests (matching `filter`, when given) fail this way: 500 by default. */
  failNext(
    n: number,
    failure: PaystackFailure = { status: 500, body: { status: false, message: 'Internal error' } },
    filter: (request: FakePaystackRequest) => boolean = () => true,
  ): void {
    this.failureRules.push({ remaining: n, failure, matches: filter });
  }

  initializedFor(predicate: (record: InitializeRecord) => boolean): InitializeRecord[] {
    return this.initialized.filter(predicate);
  }

  /** Resolves with the matching initializations once at least `n` have arrived. */
  async waitForInitialize(
    predicate: (record: InitializeRecord) => boolean,
    n = 1,
    timeoutMs = 10_000,
  ): Promise<InitializeRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.initializedFor(predicate);
      if (found.length >= n) return found;
      if (Date.now() > deadline) throw new Error(`Expected ${n} initialize call(s), got ${found.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Any event body, signed as Paystack signs it: hex HMAC-SHA512 keyed with the secret key. */
  signedEvent(secretKey: string, payload: unknown): SignedWebhook {
    const body = JSON.stringify(payload);
    return { body, signature: createHmac('sha512', secretKey).update(body).digest('hex') };
  }

  /**
   * A `charge.success` webhook for `reference`, by default for the amount and currency it
   * was initialized with (and its Paystack id), signed with `secretKey`.
   */
  chargeSuccess(
    secretKey: string,
    reference: string,
    overrides: { amount?: number; currency?: string; id?: number; metadata?: unknown } = {},
  ): SignedWebhook {
    const transaction = this.transactions.get(reference);
    const body = transaction?.record.body ?? {};
    return this.signedEvent(secretKey, {
      event: 'charge.success',
      data: {
        id: overrides.id ?? transaction?.id ?? this.nextId++,
        domain: 'test',
        status: 'success',
        reference,
        amount: overrides.amount ?? body.amount,
        currency: overrides.currency ?? body.currency ?? 'NGN',
        paid_at: new Date().toISOString(),
        channel: 'card',
        metadata: overrides.metadata ?? body.metadata ?? '',
        customer: { email: body.email ?? 'customer@example.com' },
      },
    });
  }

  /** Forgets traffic, scripts and injected failures; registered keys stay. */
  reset(): void {
    this.initialized.length = 0;
    this.verifyCalls.length = 0;
    this.requestCount = 0;
    this.transactions.clear();
    this.scripts.clear();
    this.failureRules = [];
  }

  async close(): Promise<void> {
    this.reset();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else respond(res, 500, { status: false, message: `Fake Paystack failure: ${String(error)}` });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requestCount++;
    const url = new URL(req.url ?? '/', 'http://fake.local');
    const rawBody = await readBody(req);
    const secretKey = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const request: FakePaystackRequest = { method: req.method ?? 'GET', path: url.pathname, secretKey };

    const failure = this.takeFailure(request);
    if (failure === 'network') return void res.socket?.destroy();
    if (failure) return respond(res, failure.status, failure.body ?? '');

    if (!secretKey || !this.keys.has(secretKey)) {
      return respond(res, 401, { status: false, message: 'Invalid key' });
    }
    if (request.method === 'POST' && url.pathname === '/transaction/initialize') {
      return this.initialize(secretKey, rawBody, res);
    }
    const verify = /^\/transaction\/verify\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && verify) return this.verify(secretKey, decodeURIComponent(verify[1]), res);
    return respond(res, 404, { status: false, message: `No route for ${request.method} ${url.pathname}` });
  }

  private initialize(secretKey: string, rawBody: string, res: ServerResponse): void {
    const body = parseJson(rawBody);
    if (!isRecord(body)) return respond(res, 400, { status: false, message: 'Invalid request body' });
    const { email, amount, currency = 'NGN', reference = `T${randomBytes(8).toString('hex')}` } = body;
    if (typeof email !== 'string' || !email.includes('@')) {
      return respond(res, 400, { status: false, message: 'Invalid Email Address Passed' });
    }
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
      return respond(res, 400, { status: false, message: 'Invalid Amount Sent' });
    }
    if (typeof currency !== 'string' || !['NGN', 'GHS', 'ZAR', 'USD', 'KES'].includes(currency)) {
      return respond(res, 400, { status: false, message: 'Currency not supported by merchant' });
    }
    if (typeof reference !== 'string' || !REFERENCE.test(reference)) {
      return respond(res, 400, { status: false, message: 'Invalid transaction reference' });
    }
    if (body.metadata !== undefined && !isRecord(body.metadata)) {
      return respond(res, 400, { status: false, message: 'Invalid metadata' });
    }
    if (this.transactions.has(reference)) {
      return respond(res, 400, { status: false, message: 'Duplicate Transaction Reference' });
    }
    const accessCode = randomBytes(8).toString('hex');
    const record: InitializeRecord = {
      secretKey,
      body,
      reference,
      accessCode,
      authorizationUrl: `https://checkout.paystack.test/${accessCode}`,
      at: Date.now(),
    };
    this.initialized.push(record);
    this.transactions.set(reference, { id: this.nextId++, record });
    respond(res, 200, {
      status: true,
      message: 'Authorization URL created',
      data: { authorization_url: record.authorizationUrl, access_code: accessCode, reference },
    });
  }

  private verify(secretKey: string, reference: string, res: ServerResponse): void {
    this.verifyCalls.push({ secretKey, reference });
    const transaction = this.transactions.get(reference);
    const script = this.scripts.get(reference);
    // Another account's transaction is as unknown as one that never existed.
    const mine = transaction && transaction.record.secretKey === secretKey ? transaction : undefined;
    if (!mine && !script) return respond(res, 400, { status: false, message: 'Transaction reference not found' });
    const body = mine?.record.body ?? {};
    const status = script?.status ?? 'success';
    respond(res, 200, {
      status: true,
      message: 'Verification successful',
      data: {
        id: mine?.id ?? this.nextId++,
        domain: 'test',
        status,
        reference,
        amount: script?.amount ?? body.amount,
        currency: script?.currency ?? body.currency ?? 'NGN',
        paid_at: status === 'success' ? (script?.paidAt ?? new Date().toISOString()) : null,
        channel: 'card',
        customer: { email: body.email ?? 'customer@example.com' },
        metadata: script && 'metadata' in script ? script.metadata : (body.metadata ?? ''),
      },
    });
  }

  private takeFailure(request: FakePaystackRequest): PaystackFailure | undefined {
    const rule = this.failureRules.find((candidate) => candidate.matches(request));
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.failureRules = this.failureRules.filter((candidate) => candidate !== rule);
    return rule.failure;
  }
}

export async function startFakePaystack(): Promise<FakePaystack> {
  // The server needs its handler before the fake (which needs the server's port) exists.
  const ref: { fake?: FakePaystack } = {};
  const server = createServer((req, res) => ref.fake!.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ref.fake = new FakePaystack(server, `http://127.0.0.1:${port}`);
  return ref.fake;
}

/** A key in the shape Paystack issues, unique per call. */
export function paystackTestKey(): string {
  return `sk_test_${randomBytes(20).toString('hex')}`;
}

function respond(res: ServerResponse, status: number, body: unknown): void {
  const isText = typeof body === 'string';
  res.writeHead(status, { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json' });
  res.end(isText ? body : JSON.stringify(body));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
