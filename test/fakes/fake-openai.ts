import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJson, readBody } from './http-wire.js';

/**
 * A fake OpenAI-compatible server speaking the chat-completions wire format of
 * PLATFORM-APIS §6 on `POST /v1/chat/completions` (so `baseUrl` is `${url}/v1`). It answers
 * from a script, one step per request, and records every request it receives.
 */

export interface FakeCompletion {
  content?: string;
  toolCalls?: { name: string; arguments: string | object }[];
}

/** An error answer; without a body, the API's `{ error: { message, type, code } }` shape. */
export interface FakeFailure {
  status: number;
  body?: unknown;
}

/** One scripted answer. */
export type FakeAnswer =
  | FakeCompletion
  | FakeFailure
  /** Never answers until the server closes: the client's timeout must fire. */
  | 'hang'
  /** Sends a 200's headers and the start of its body, then nothing: a deadline must cover the body too. */
  | 'stall-body';

/** An answer, or a function choosing one from the request (to answer tool results, say). */
export type FakeOpenAiStep = FakeAnswer | ((requestBody: ChatRequestBody) => FakeOpenAiStep);

/** The part of a chat-completions request the fake reads; the rest is recorded as sent. */
export interface ChatRequestBody {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; parameters?: unknown } }[];
  [key: string]: unknown;
}

export interface RecordedRequest {
  body: ChatRequestBody;
  headers: IncomingHttpHeaders;
}

const ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request' },
};

// A step that returns a function again is a test bug; this stops it from looping forever.
const MAX_STEP_DEPTH = 10;

export class FakeOpenAi {
  readonly requests: RecordedRequest[] = [];

  private steps: FakeOpenAiStep[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly idPrefix = randomBytes(6).toString('hex');
  private sequence = 0;

  constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:port`; the client's base URL is `${url}/v1`. */
    readonly url: string,
  ) {}

  get requestCount(): number {
    return this.requests.length;
  }

  /** Queues answers for the next requests, in order; afterwards the fake answers "OK". */
  script(...steps: FakeOpenAiStep[]): void {
    this.steps.push(...steps);
  }

  /** Forgets the script and the recorded requests, and drops hanging requests. */
  reset(): void {
    this.steps = [];
    this.requests.length = 0;
    this.dropHanging();
  }

  async close(): Promise<void> {
    this.reset();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** Entry point for the HTTP server. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else respond(res, 500, errorBody(500, `Fake OpenAI failure: ${String(error)}`));
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake.local').pathname;
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return respond(res, 404, errorBody(404, `Unknown request to ${req.method} ${path}`));
    }
    const body = parseJson(await readBody(req));
    if (!isChatRequest(body)) return respond(res, 400, errorBody(400, 'Expected a JSON body with model and messages'));
    this.requests.push({ body, headers: req.headers });
    if (!/^Bearer\s+\S/i.test(req.headers.authorization ?? '')) {
      return respond(res, 401, errorBody(401, 'You did not provide an API key'));
    }
    const step = this.resolveStep(this.steps.shift() ?? { content: 'OK' }, body);
    if (step === 'hang' || step === 'stall-body') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      if (step === 'stall-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id": "chatcmpl-stalled", "choices": [');
      }
      return;
    }
    if ('status' in step) {
      const headers: Record<string, string> = step.status === 429 ? { 'retry-after': '1' } : {};
      return respond(res, step.status, step.body ?? errorBody(step.status), headers);
    }
    return respond(res, 200, this.completion(step, body.model));
  }

  private resolveStep(step: FakeOpenAiStep, body: ChatRequestBody): FakeAnswer {
    let current = step;
    for (let depth = 0; typeof current === 'function'; depth++) {
      if (depth >= MAX_STEP_DEPTH) throw new Error('A scripted step kept returning functions');
      current = current(body);
    }
    return current;
  }

  private completion(step: FakeCompletion, model: string): Record<string, unknown> {
    const toolCalls = (step.toolCalls ?? []).map((call) => ({
      id: `call_${this.nextId()}`,
      type: 'function',
      function: {
        name: call.name,
        arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
      },
    }));
    const content = step.content ?? (toolCalls.length > 0 ? null : '');
    const completionTokens = Math.ceil((content ?? '').length / 4) + toolCalls.length * 10;
    return {
      id: `chatcmpl-${this.nextId()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content,
            refusal: null,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          },
          logprobs: null,
          finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: completionTokens, total_tokens: 10 + completionTokens },
    };
  }

  private nextId(): string {
    this.sequence++;
    return `FAKE${this.idPrefix}${this.sequence.toString(36)}`;
  }

  private dropHanging(): void {
    for (const response of this.hanging) response.socket?.destroy();
    this.hanging.clear();
  }
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  // The server needs its handler before the fake (which needs the server's port) exists.
  const ref: { fake?: FakeOpenAi } = {};
  const server = createServer((req, res) => ref.fake!.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ref.fake = new FakeOpenAi(server, `http://127.0.0.1:${port}`);
  return ref.fake;
}

function errorBody(status: number, message?: string): { error: Record<string, unknown> } {
  const known = ERROR_TYPES[status] ?? { type: 'api_error', code: null, message: `HTTP ${status}` };
  return { error: { message: message ?? known.message, type: known.type, param: null, code: known.code } };
}

function isChatRequest(body: unknown): body is ChatRequestBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as ChatRequestBody).model === 'string' &&
    Array.isArray((body as ChatRequestBody).messages)
  );
}

function respond(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const isText = typeof body === 'string';
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    'x-request-id': `req_${randomBytes(8).toString('hex')}`,
    ...headers,
  });
  res.end(isText ? body : JSON.stringify(body));
}
