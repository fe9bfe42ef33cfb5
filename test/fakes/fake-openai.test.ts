import { startFakeOpenAi, type FakeOpenAi } from './fake-openai.js';

describe('fake OpenAI server', () => {
  let fake: FakeOpenAi;

  const post = (body: unknown, headers: Record<string, string> = { authorization: 'Bearer sk-test' }) =>
    fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const request = { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] };

  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });

  afterAll(() => fake.close());

  beforeEach(() => fake.reset());

  it('answers "OK" in the chat-completion shape when nothing is scripted', async () => {
    const response = await post(request);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/u),
      object: 'chat.completion',
      model: 'gpt-test',
      choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }],
    });
  });

  it('answers the script in order, then falls back to "OK"', async () => {
    fake.script({ content: 'first' }, { status: 429 });

    const first = (await (await post(request)).json()) as { choices: { message: { content: string } }[] };
    const second = await post(request);
    const third = (await (await post(request)).json()) as { choices: { message: { content: string } }[] };

    expect(first.choices[0].message.content).toBe('first');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(await second.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
    expect(third.choices[0].message.content).toBe('OK');
  });

  it('lets a scripted function answer from the request it receives', async () => {
    fake.script((body) => ({ content: `you said ${String(body.messages.at(-1)?.content)}` }));

    const answer = (await (await post(request)).json()) as { choices: { message: { content: string } }[] };

    expect(answer.choices[0].message.content).toBe('you said hi');
  });

  it('records every request with its headers', async () => {
    await post(request);

    expect(fake.requestCount).toBe(1);
    expect(fake.requests[0].body).toEqual(request);
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it('refuses a request without an API key, a malformed body and an unknown path', async () => {
    expect((await post(request, { authorization: '' })).status).toBe(401);
    expect((await post({ messages: 'nope' })).status).toBe(400);
    expect((await fetch(`${fake.url}/v1/models`)).status).toBe(404);
  });
});
