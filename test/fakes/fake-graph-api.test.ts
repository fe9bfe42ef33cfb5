import { graphFailures, startFakeGraphApi, type FakeGraphApi } from './fake-graph-api.js';

const whatsAppText = (to: string, body: string) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body },
});

describe('fake Graph API', () => {
  let fake: FakeGraphApi;

  const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: 'Bearer t' }) =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    fake = await startFakeGraphApi();
  });

  afterAll(() => fake.close());

  beforeEach(() => fake.reset());

  it('answers a WhatsApp send in the Cloud API success shape', async () => {
    const response = await post('/v23.0/111/messages', whatsAppText('+2348012345678', 'hi'));

    const body = (await response.json()) as { contacts: unknown[]; messages: { id: string }[] };
    expect(response.status).toBe(200);
    expect(body.contacts).toEqual([{ input: '+2348012345678', wa_id: '2348012345678' }]);
    expect(body.messages[0].id).toBe(fake.sent[0].providerMessageId);
  });

  it('accepts the token as an access_token query parameter and resolves "me" to the registered account', async () => {
    fake.registerAccount('178414', 'ig-token');

    const response = await post(
      '/v23.0/me/messages?access_token=ig-token',
      { recipient: { id: 'igsid-1' }, messaging_type: 'RESPONSE', message: { text: 'hi' } },
      {},
    );

    expect(await response.json()).toEqual({ recipient_id: 'igsid-1', message_id: fake.sent[0].providerMessageId });
    expect(fake.sent[0]).toMatchObject({ accountId: '178414', accessToken: 'ig-token', to: 'igsid-1', text: 'hi' });
  });

  it('refuses a request without a token with Graph code 190', async () => {
    const response = await post('/v23.0/111/messages', whatsAppText('+1555', 'hi'), {});

    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(190);
  });

  it('rejects text over the wire-format limit instead of recording it', async () => {
    const response = await post('/v23.0/111/messages', whatsAppText('+1555', 'x'.repeat(4097)));

    expect(response.status).toBe(400);
    expect(fake.sent).toHaveLength(0);
  });

  it('fails only matching requests while a failWhile predicate holds, and stops when told', async () => {
    const stop = fake.failWhile((request) => request.to === '+1999', graphFailures.pairRateLimit);

    const blocked = await post('/v23.0/111/messages', whatsAppText('+1999', 'a'));
    const other = await post('/v23.0/111/messages', whatsAppText('+1888', 'b'));
    stop();
    const afterStop = await post('/v23.0/111/messages', whatsAppText('+1999', 'c'));

    expect([blocked.status, other.status, afterStop.status]).toEqual([400, 200, 200]);
    expect(fake.sent.map((message) => message.text)).toEqual(['b', 'c']);
    expect(fake.requestCount).toBe(3);
  });

  it('waits for messages that arrive later', async () => {
    const waiting = fake.waitForCount(2, (message) => message.to === '+1777', 2000);

    await post('/v23.0/111/messages', whatsAppText('+1777', 'one'));
    await post('/v23.0/111/messages', whatsAppText('+1666', 'other'));
    await post('/v23.0/111/messages', whatsAppText('+1777', 'two'));

    expect((await waiting).map((message) => message.text)).toEqual(['one', 'two']);
    await expect(fake.waitFor((message) => message.text === 'never', 50)).rejects.toThrow(/Timed out/);
  });

  it('answers a burst of concurrent sends, each with its own message id', async () => {
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => post('/v23.0/111/messages', whatsAppText(`+1${i}`, `m${i}`))),
    );

    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(new Set(fake.sent.map((message) => message.providerMessageId)).size).toBe(300);
  }, 15_000);
});
