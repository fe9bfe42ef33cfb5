import { startFakeGraphApi, graphFailures, type FakeGraphApi } from '../../../../test/fakes/fake-graph-api.js';
import { ProviderError, type ProviderFailure } from './graph-errors.js';
import { InstagramClient, type InstagramCredentials } from './instagram.client.js';

const creds: InstagramCredentials = { accessToken: 'IGQV-secret-token', accountId: '17841400000000001' };
const customer = '6412345678901234';

async function failureOf(promise: Promise<unknown>): Promise<ProviderFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error.failure;
}

describe('InstagramClient', () => {
  let fake: FakeGraphApi;
  let client: InstagramClient;
  /** A short timeout only where a hang is injected, so that a slow machine does not fail the other tests. */
  let impatientClient: InstagramClient;

  beforeAll(async () => {
    fake = await startFakeGraphApi();
    client = new InstagramClient({ baseUrl: fake.url, version: 'v23.0', timeoutMs: 5000 });
    impatientClient = new InstagramClient({ baseUrl: fake.url, version: 'v23.0', timeoutMs: 200 });
  });

  afterAll(() => fake.close());

  beforeEach(() => fake.reset());

  it('sends a response message and returns its mid', async () => {
    const result = await client.sendText(creds, customer, 'Hello!');

    const [sent] = fake.sentTo(customer);
    expect(result.providerMessageId).toMatch(/^mid\./);
    expect(sent).toMatchObject({ accountId: creds.accountId, accessToken: creds.accessToken, text: 'Hello!' });
    expect(sent.body).toEqual({
      recipient: { id: customer },
      messaging_type: 'RESPONSE',
      message: { text: 'Hello!' },
    });
  });

  it('sends at most 13 quick replies with titles cut to 20 characters', async () => {
    const quickReplies = Array.from({ length: 15 }, (_, i) => ({
      title: `Option number ${i} of many`,
      payload: `OPT_${i}`,
    }));

    await client.sendText(creds, customer, 'Choose', { quickReplies });

    const replies = (fake.sent[0].body.message as { quick_replies: Record<string, string>[] }).quick_replies;
    expect(replies).toHaveLength(13);
    expect(replies[0]).toEqual({ content_type: 'text', title: 'Option number 0 of…', payload: 'OPT_0' });
  });

  it('tags a human reply with HUMAN_AGENT', async () => {
    await client.sendText(creds, customer, 'Sorry for the wait, this is Tunde.', { humanAgentTag: true });

    expect(fake.sent[0].body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('cuts multi-byte text to 1,000 UTF-8 bytes without splitting a character', async () => {
    const text = 'Ọjà tuntun 🛍️ '.repeat(80);

    await client.sendText(creds, customer, text);

    const sentText = fake.sent[0].text!;
    expect(Buffer.byteLength(sentText, 'utf8')).toBeLessThanOrEqual(1000);
    expect(Buffer.byteLength(sentText, 'utf8')).toBeGreaterThan(950);
    expect(sentText).not.toContain('\uFFFD');
    expect(text.startsWith(sentText.slice(0, -1))).toBe(true);
  });

  it('treats an out-of-window send as permanent without asking for reconnection', async () => {
    fake.failNext(1, graphFailures.instagramOutsideWindow);

    const failure = await failureOf(client.sendText(creds, customer, 'hi'));

    expect(failure).toMatchObject({ retry: 'permanent', outsideWindow: true, reconnect: false });
  });

  it('treats a 500 as transient and a hang as a transient timeout', async () => {
    fake.failNext(1, graphFailures.serverError);
    fake.failNext(1, 'hang');

    expect(await failureOf(client.sendText(creds, customer, 'hi'))).toMatchObject({
      retry: 'transient',
      code: 'http:500',
    });
    expect(await failureOf(impatientClient.sendText(creds, customer, 'hi'))).toMatchObject({
      retry: 'transient',
      code: 'timeout',
    });
  });

  it('checks a token and returns the account username and name', async () => {
    fake.registerAccount('17841400000000002', 'ig-good', { username: 'mamaput.ng', name: 'Mama Put' });

    const valid = await client.checkToken({ accessToken: 'ig-good', accountId: '17841400000000002' });
    const invalid = await client.checkToken({ accessToken: 'ig-stale', accountId: '17841400000000002' });

    expect(valid).toEqual({ ok: true, username: 'mamaput.ng', name: 'Mama Put' });
    expect(invalid).toMatchObject({ ok: false, failure: { retry: 'permanent', reconnect: true, code: 'meta:190' } });
  });
});
