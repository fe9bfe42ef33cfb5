import OpenAI from 'openai';

/**
 * One chat-completions call to an OpenAI-compatible endpoint (PLATFORM-APIS §6), with
 * every failure turned into an `LlmError` whose `kind` the fallback and the circuit
 * breaker decide on. The SDK never retries: a retry would spend the customer's wait on
 * a provider that is already struggling, and the fallback answers at once instead.
 */

export interface LlmClientOptions {
  /** Without one the client is built (so `config.openai` can be passed as is) but every call is refused. */
  apiKey?: string;
  baseUrl: string;
  model: string;
  timeoutMs: number;
}

export type LlmMessage = OpenAI.ChatCompletionMessageParam;
export type LlmTool = OpenAI.ChatCompletionFunctionTool;

export interface LlmToolCall {
  id: string;
  name: string;
  /** The model's JSON text, unparsed and unvalidated: see `parseToolCall`. */
  arguments: string;
}

/** `other` covers what compatible servers invent (or omit). */
export type LlmFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export interface LlmAnswer {
  content: string | null;
  toolCalls: LlmToolCall[];
  finishReason: LlmFinishReason;
}

export type LlmErrorKind = 'timeout' | 'rate_limited' | 'unavailable' | 'rejected' | 'malformed';

export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    /** The HTTP status, when the endpoint answered at all. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export const MAX_COMPLETION_TOKENS = 400;
const TEMPERATURE = 0.3;
const FINISH_REASONS: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'content_filter']);

export class LlmClient {
  // Private fields stay out of JSON and util.inspect, so logging the client cannot leak the key.
  readonly #openai: OpenAI | undefined;
  readonly #apiKey: string;
  private readonly model: string;
  private readonly timeoutMs: number;

  constructor(options: LlmClientOptions) {
    this.#apiKey = options.apiKey ?? '';
    this.model = options.model;
    this.timeoutMs = options.timeoutMs;
    // The SDK would fall back to OPENAI_API_KEY from the environment; configuration comes
    // from AppConfig only, so without a key there is no SDK client at all.
    this.#openai = !options.apiKey
      ? undefined
      : new OpenAI({
          apiKey: options.apiKey,
          baseURL: options.baseUrl,
          timeout: options.timeoutMs,
          maxRetries: 0,
          // Explicit values, so that the SDK reads none of its own environment variables
          // (configuration comes from AppConfig only) and logs nothing of its own.
          adminAPIKey: null,
          organization: null,
          project: null,
          webhookSecret: null,
          logLevel: 'off',
        });
  }

  /** False without an API key: the AI is off and the fallback answers. */
  get configured(): boolean {
    return this.#openai !== undefined;
  }

  /**
   * Sends the conversation and returns the model's answer. With an empty `tools` list the
   * model is asked for words only (the API refuses an empty `tools` array).
   */
  async complete(
    messages: readonly LlmMessage[],
    tools: readonly LlmTool[],
    options: { signal?: AbortSignal } = {},
  ): Promise<LlmAnswer> {
    if (!this.#openai) throw new LlmError('rejected', 'No API key is configured for the AI');
    // The SDK's timeout stops at the response headers; this deadline also covers a body
    // that trickles in, so one call never outlives `timeoutMs`.
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let completion: unknown;
    try {
      completion = await this.#openai.chat.completions.create(
        {
          model: this.model,
          messages: [...messages],
          ...(tools.length > 0 ? { tools: [...tools], tool_choice: 'auto' as const } : {}),
          max_completion_tokens: MAX_COMPLETION_TOKENS,
          temperature: TEMPERATURE,
        },
        { signal, timeout: this.timeoutMs },
      );
    } catch (error) {
      throw toLlmError(error, signal.aborted, this.#apiKey);
    }
    return readAnswer(completion);
  }
}

/** Maps what the SDK throws to a kind; the SDK's error is not kept, as its body can echo the key. */
export function toLlmError(error: unknown, aborted: boolean, apiKey: string): LlmError {
  if (error instanceof LlmError) return error;
  const detail = redact(error instanceof Error ? error.message : String(error), apiKey);
  const status = error instanceof OpenAI.APIError && typeof error.status === 'number' ? error.status : undefined;
  const fail = (kind: LlmErrorKind) =>
    new LlmError(kind, `LLM call failed (${kind}${status === undefined ? '' : `, HTTP ${status}`}): ${detail}`, status);
  if (
    aborted ||
    error instanceof OpenAI.APIConnectionTimeoutError ||
    error instanceof OpenAI.APIUserAbortError ||
    (error instanceof Error && error.name === 'AbortError') ||
    status === 408
  ) {
    return fail('timeout');
  }
  if (error instanceof OpenAI.RateLimitError) return fail('rate_limited');
  if (error instanceof OpenAI.InternalServerError || error instanceof OpenAI.APIConnectionError) {
    return fail('unavailable');
  }
  if (status !== undefined && status >= 400 && status < 500) return fail('rejected');
  // A 200 whose JSON does not parse.
  if (error instanceof SyntaxError) return fail('malformed');
  return fail('unavailable');
}

/** Reads the first choice defensively: a compatible server's answer is untrusted input. */
export function readAnswer(completion: unknown): LlmAnswer {
  const choices = isRecord(completion) ? completion.choices : undefined;
  const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) {
    throw new LlmError('malformed', 'The model answered without a choice');
  }
  const { content, tool_calls: rawCalls } = choice.message;
  if (content !== null && content !== undefined && typeof content !== 'string') {
    throw new LlmError('malformed', 'The model answered with non-text content');
  }
  if (rawCalls !== null && rawCalls !== undefined && !Array.isArray(rawCalls)) {
    throw new LlmError('malformed', 'The model answered with tool_calls that are not a list');
  }
  const toolCalls = (rawCalls ?? []).flatMap((call: unknown, index: number) => readToolCall(call, index));
  const reason = choice.finish_reason;
  return {
    content: content ?? null,
    toolCalls,
    finishReason: typeof reason === 'string' && FINISH_REASONS.has(reason) ? (reason as LlmFinishReason) : 'other',
  };
}

function readToolCall(call: unknown, index: number): LlmToolCall[] {
  if (!isRecord(call)) throw new LlmError('malformed', 'The model answered with a malformed tool call');
  // `tool_calls` may hold custom (non-function) calls; we offer none, so they are ignored.
  // Some compatible servers omit `type` on function calls.
  if (call.type !== undefined && call.type !== 'function') return [];
  const fn = call.function;
  if (!isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') {
    throw new LlmError('malformed', 'The model answered with a tool call without a function name');
  }
  const args = fn.arguments;
  let text: string;
  if (typeof args === 'string') text = args;
  // Some compatible servers send the arguments as an object rather than JSON text.
  else if (isRecord(args)) text = JSON.stringify(args);
  else if (args === undefined || args === null) text = '{}';
  else throw new LlmError('malformed', 'The model answered with tool arguments that are not JSON text');
  // An id is needed to answer the call; servers that omit it do not check it either.
  const id = typeof call.id === 'string' && call.id !== '' ? call.id : `call_${index}`;
  return [{ id, name: fn.name, arguments: text }];
}

const KEY_LIKE = /\bsk-[A-Za-z0-9_*-]{6,}/g;
const MAX_DETAIL_LENGTH = 300;

function redact(message: string, apiKey: string): string {
  const withoutKey = apiKey === '' ? message : message.split(apiKey).join('[redacted]');
  return withoutKey.replace(KEY_LIKE, '[redacted]').slice(0, MAX_DETAIL_LENGTH);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
