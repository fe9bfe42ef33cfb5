import { inspect } from 'node:util';
import { startFakeOpenAi, type FakeOpenAi } from '../../../../test/fakes/fake-openai.js';
import { LlmClient, LlmError, readAnswer, type LlmMessage, type LlmTool } from './llm-client.js';

const API_KEY = 'sk-test-0123456789abcdef';
const MESSAGES: LlmMessage[] = [
  { role: 'system', content: 'You are a shop assistant.' },
  { role: 'user', content: 'Two jollof please' },
];
const TOOLS: LlmTool[] = [
  {
    type: 'function',
    function: { name: 'view_cart', description: 'Show the cart', parameters: { type: 'object', properties: {} } },
  },
];

describe('LlmClient against the fake OpenAI server', () => {
  let fake: FakeOpenAi;
  let client: LlmClient;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });

  afterAll(() => fake.close());

  beforeEach(() => {
    fake.reset();
    client = new LlmClient({ apiKey: API_KEY, baseUrl: `${fake.url}/v1`, model: 'gpt-test', timeoutMs: 300 });
  });

  async function failure(promise: Promise<unknown>): Promise<LlmError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LlmError);
    return error as LlmError;
  }

  it('sends one chat-completions request in the documented shape', async () => {
    fake.script({ content: 'Hello!' });

    await client.complete(MESSAGES, TOOLS);

    expect(fake.requestCount).toBe(1);
    const [{ body, headers }] = fake.requests;
    expect(headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(body).toEqual({
      model: 'gpt-test',
      messages: MESSAGES,
      tools: TOOLS,
      tool_choice: 'auto',
      max_completion_tokens: 400,
      temperature: 0.3,
    });
  });

  it('asks for words only, without an empty tools list, when no tools are offered', async () => {
    await client.complete(MESSAGES, []);

    expect(fake.requests[0].body).not.toHaveProperty('tools');
    expect(fake.requests[0].body).not.toHaveProperty('tool_choice');
  });

  it('returns the text of a plain answer', async () => {
    fake.script({ content: 'We have jollof and suya.' });

    await expect(client.complete(MESSAGES, TOOLS)).resolves.toEqual({
      content: 'We have jollof and suya.',
      toolCalls: [],
      finishReason: 'stop',
    });
  });

  it('returns the tool calls with their ids and raw arguments', async () => {
    fake.script({
      toolCalls: [
        { name: 'add_to_cart', arguments: { product_id: 'p1', quantity: 2 } },
        { name: 'view_cart', arguments: '{}' },
      ],
    });

    const answer = await client.complete(MESSAGES, TOOLS);

    expect(answer).toEqual({
      content: null,
      toolCalls: [
        { id: expect.stringMatching(/^call_/u), name: 'add_to_cart', arguments: '{"product_id":"p1","quantity":2}' },
        { id: expect.stringMatching(/^call_/u), name: 'view_cart', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
    });
    expect(answer.toolCalls[0].id).not.toBe(answer.toolCalls[1].id);
  });

  it('times out on a server that never answers', async () => {
    fake.script('hang');
    const started = Date.now();

    const error = await failure(client.complete(MESSAGES, TOOLS));

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out on a server that sends headers and then stalls the body', async () => {
    fake.script('stall-body');

    expect((await failure(client.complete(MESSAGES, TOOLS))).kind).toBe('timeout');
  });

  it('reports a turn aborted by the caller as a timeout', async () => {
    fake.script('hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const error = await failure(
      new LlmClient({ apiKey: API_KEY, baseUrl: `${fake.url}/v1`, model: 'm', timeoutMs: 10_000 }).complete(
        MESSAGES,
        TOOLS,
        { signal: controller.signal },
      ),
    );

    expect(error.kind).toBe('timeout');
  });

  it.each([
    [500, 'unavailable'],
    [503, 'unavailable'],
    [429, 'rate_limited'],
    [400, 'rejected'],
    [401, 'rejected'],
    [404, 'rejected'],
  ])('maps HTTP %i to %s, in a single attempt', async (status, kind) => {
    fake.script({ status });

    const error = await failure(client.complete(MESSAGES, TOOLS));

    expect(error).toMatchObject({ kind, status });
    expect(fake.requestCount).toBe(1);
  });

  it('reports an endpoint that cannot be reached as unavailable', async () => {
    const closed = await startFakeOpenAi();
    const baseUrl = `${closed.url}/v1`;
    await closed.close();

    const error = await failure(
      new LlmClient({ apiKey: API_KEY, baseUrl, model: 'm', timeoutMs: 1_000 }).complete(MESSAGES, TOOLS),
    );

    expect(error.kind).toBe('unavailable');
  });

  it.each([
    ['a JSON body without choices', { status: 200, body: { object: 'chat.completion' } }],
    ['an empty choices list', { status: 200, body: { choices: [] } }],
    ['a text body', { status: 200, body: 'Service is starting' }],
    ['a tool call without a name', { status: 200, body: { choices: [{ message: { tool_calls: [{ id: 'c' }] } }] } }],
  ])('reports %s as malformed', async (_what, step) => {
    fake.script(step);

    expect((await failure(client.complete(MESSAGES, TOOLS))).kind).toBe('malformed');
  });

  it('never shows the API key, in errors or when the client is logged', async () => {
    fake.script({ status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY}` } } });

    const error = await failure(client.complete(MESSAGES, TOOLS));

    expect(error.message).not.toContain(API_KEY);
    expect(error.message).not.toContain('0123456789abcdef');
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect(inspect(error, { depth: 10 })).not.toContain(API_KEY);
    expect(JSON.stringify(client)).not.toContain(API_KEY);
    expect(inspect(client, { depth: 10 })).not.toContain(API_KEY);
  });

  it('refuses every call without a key, without calling the endpoint', async () => {
    const keyless = new LlmClient({ apiKey: undefined, baseUrl: `${fake.url}/v1`, model: 'm', timeoutMs: 300 });

    expect(keyless.configured).toBe(false);
    expect(client.configured).toBe(true);
    expect((await failure(keyless.complete(MESSAGES, TOOLS))).kind).toBe('rejected');
    expect(fake.requestCount).toBe(0);
  });
});

describe('readAnswer', () => {
  const answer = (message: unknown, finish_reason: unknown = 'stop') => ({ choices: [{ message, finish_reason }] });

  it('ignores tool calls that are not function calls', () => {
    const parsed = readAnswer(
      answer(
        {
          content: null,
          tool_calls: [
            { id: 'c1', type: 'custom', custom: { name: 'x', input: 'y' } },
            { id: 'c2', type: 'function', function: { name: 'view_cart', arguments: '{}' } },
          ],
        },
        'tool_calls',
      ),
    );

    expect(parsed.toolCalls).toEqual([{ id: 'c2', name: 'view_cart', arguments: '{}' }]);
  });

  it('accepts what compatible servers send: no type, no id, object arguments, unknown finish reasons', () => {
    const parsed = readAnswer(
      answer({ content: 'ok', tool_calls: [{ function: { name: 'view_cart', arguments: { a: 1 } } }] }, 'eos'),
    );

    expect(parsed).toEqual({
      content: 'ok',
      toolCalls: [{ id: 'call_0', name: 'view_cart', arguments: '{"a":1}' }],
      finishReason: 'other',
    });
  });

  it.each([
    ['content that is not text', answer({ content: [{ type: 'text', text: 'hi' }] })],
    ['tool_calls that are not a list', answer({ content: null, tool_calls: {} })],
    ['arguments that are a number', answer({ tool_calls: [{ function: { name: 'x', arguments: 3 } }] })],
    ['a choice without a message', { choices: [{ finish_reason: 'stop' }] }],
    ['nothing at all', null],
  ])('refuses %s', (_what, completion) => {
    expect(() => readAnswer(completion)).toThrow(expect.objectContaining({ kind: 'malformed' }));
  });
});
