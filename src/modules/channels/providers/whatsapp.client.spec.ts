import { startFakeGraphApi, graphFailures, type FakeGraphApi } from '../../../../test/fakes/fake-graph-api.js';
import { ProviderError, type ProviderFailure } from './graph-errors.js';
import { WhatsAppClient, type WhatsAppCredentials } from './whatsapp.client.js';

const creds: WhatsAppCredentials = { accessToken: 'EAAG-secret-token-1', phoneNumberId: '106540352242922' };
const customer = '2348012345678';

async function failureOf(promise: Promise<unknown>): Promise<ProviderFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error.failure;
}

describe('WhatsAppClient', () => {
  let fake: FakeGraphApi;
  let client: WhatsAppClient;
  /** A short timeout only where a hang is injected, so that a slow machine does not fail the other tests. */
  let impatientClient: WhatsAppClient;

  beforeAll(async () => {
    fake = await startFakeGraphApi();
    client = new WhatsAppClient({ baseUrl: fake.url, version: 'v23.0', timeoutMs: 5000 });
    impatientClient = new WhatsAppClient({ baseUrl: fake.url, version: 'v23.0', timeoutMs: 200 });
  });

  afterAll(() => fake.close());

  beforeEach(() => fake.reset());

  describe('sends in the Cloud API wire format', () => {
    it('sends text to the number with a leading + and returns the wamid', async () => {
      const result = await client.sendText(creds, customer, 'Hello!');

      const [sent] = fake.sentTo(customer);
      expect(result.providerMessageId).toMatch(/^wamid\./);
      expect(sent).toMatchObject({ accountId: creds.phoneNumberId, accessToken: creds.accessToken, text: 'Hello!' });
      expect(sent.providerMessageId).toBe(result.providerMessageId);
      expect(sent.body).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: `+${customer}`,
        type: 'text',
        text: { body: 'Hello!', preview_url: false },
      });
    });

    it('quotes the message it replies to and can enable link previews', async () => {
      await client.sendText(creds, `+${customer}`, 'See https://example.com', {
        replyTo: 'wamid.IN1',
        previewUrl: true,
      });

      expect(fake.sent[0].body).toMatchObject({
        to: `+${customer}`,
        context: { message_id: 'wamid.IN1' },
        text: { body: 'See https://example.com', preview_url: true },
      });
    });

    it('caps a text body at 4,096 characters', async () => {
      await client.sendText(creds, customer, 'x'.repeat(5000));

      expect(fake.sent[0].text!.length).toBe(4096);
    });

    it('sends at most three reply buttons with titles cut to 20 characters', async () => {
      const buttons = [
        { id: 'pay', title: 'Pay now with card or transfer' },
        { id: 'cart', title: 'View cart' },
        { id: 'human', title: 'Talk to a person' },
        { id: 'extra', title: 'Dropped' },
      ];

      await client.sendButtons(creds, customer, 'What next?', buttons);

      expect(fake.sent[0].body).toMatchObject({
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'What next?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'pay', title: 'Pay now with card o…' } },
              { type: 'reply', reply: { id: 'cart', title: 'View cart' } },
              { type: 'reply', reply: { id: 'human', title: 'Talk to a person' } },
            ],
          },
        },
      });
      expect(fake.sent[0].text).toBe('What next?');
    });

    it('sends a list of at most ten rows in all with shortened labels', async () => {
      const rows = (prefix: string, count: number) =>
        Array.from({ length: count }, (_, i) => ({
          id: `${prefix}-${i}`,
          title: `${prefix} item ${i}`,
          description: 'd'.repeat(100),
        }));

      await client.sendList(creds, customer, {
        header: 'Our menu',
        body: 'Pick a dish',
        footer: 'Prices in NGN',
        button: 'View the complete menu',
        sections: [
          { title: 'Rice dishes', rows: rows('rice', 6) },
          { title: 'Soups', rows: rows('soup', 6) },
          { title: 'Drinks', rows: rows('drink', 2) },
        ],
      });

      type SentList = { action: { sections: { title: string; rows: { id: string; description: string }[] }[] } };
      const interactive = fake.sent[0].body.interactive as SentList;
      expect(interactive).toMatchObject({
        type: 'list',
        header: { type: 'text', text: 'Our menu' },
        body: { text: 'Pick a dish' },
        footer: { text: 'Prices in NGN' },
        action: { button: 'View the complete m…' },
      });
      const sections = interactive.action.sections;
      expect(sections.map((section) => [section.title, section.rows.length])).toEqual([
        ['Rice dishes', 6],
        ['Soups', 4],
      ]);
      expect(sections[0].rows[0]).toEqual({ id: 'rice-0', title: 'rice item 0', description: `${'d'.repeat(71)}…` });
    });

    it('sends a document by link with its filename and caption', async () => {
      await client.sendDocument(creds, customer, {
        link: 'https://files.example.com/inv-42.pdf',
        filename: 'INV-42.pdf',
        caption: 'Your invoice',
      });

      expect(fake.sent[0].body).toMatchObject({
        type: 'document',
        document: { link: 'https://files.example.com/inv-42.pdf', filename: 'INV-42.pdf', caption: 'Your invoice' },
      });
      expect(fake.sent[0].text).toBe('Your invoice');
    });

    it('sends a template with its language and body parameters', async () => {
      await client.sendTemplate(creds, customer, {
        name: 'order_update',
        languageCode: 'en_US',
        bodyParams: ['Ada', '#1042'],
      });

      expect(fake.sent[0].body).toMatchObject({
        type: 'template',
        template: {
          name: 'order_update',
          language: { code: 'en_US' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Ada' },
                { type: 'text', text: '#1042' },
              ],
            },
          ],
        },
      });
    });

    it('marks a message as read without recording a send', async () => {
      await client.markRead(creds, 'wamid.IN9');

      expect(fake.sent).toHaveLength(0);
      expect(fake.readReceipts).toEqual([
        expect.objectContaining({ accountId: creds.phoneNumberId, messageId: 'wamid.IN9' }),
      ]);
    });

    it('refuses a recipient that is not a phone number without calling Meta', async () => {
      const failure = await failureOf(client.sendText(creds, 'not a number', 'hi'));

      expect(failure).toMatchObject({ retry: 'permanent', code: 'local:invalid_recipient' });
      expect(fake.requestCount).toBe(0);
    });
  });

  describe('classifies failures', () => {
    it('treats a 500 as transient', async () => {
      fake.failNext(1, graphFailures.serverError);

      expect(await failureOf(client.sendText(creds, customer, 'hi'))).toMatchObject({
        retry: 'transient',
        code: 'http:500',
      });
    });

    it('treats the throughput limit (HTTP 400, code 130429) as transient', async () => {
      fake.failNext(1, graphFailures.throughputLimit);

      expect(await failureOf(client.sendText(creds, customer, 'hi'))).toMatchObject({
        retry: 'transient',
        code: 'meta:130429',
      });
    });

    it('treats a closed customer-service window (131047) as permanent and outside the window', async () => {
      fake.failNext(1, graphFailures.outsideWindow);

      const failure = await failureOf(client.sendText(creds, customer, 'hi'));
      expect(failure).toMatchObject({ retry: 'permanent', outsideWindow: true, reconnect: false, code: 'meta:131047' });
    });

    it('flags the channel for reconnection on an invalid token and never leaks the token', async () => {
      fake.registerAccount('555000111', 'the-right-token');
      const wrong = { accessToken: 'EAAG-wrong-token', phoneNumberId: '555000111' };

      const error = await client.sendText(wrong, customer, 'hi').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).failure).toMatchObject({ retry: 'permanent', reconnect: true, code: 'meta:190' });
      expect(JSON.stringify({ message: (error as Error).message, ...(error as ProviderError).failure })).not.toContain(
        'EAAG-wrong-token',
      );
      expect(fake.sent).toHaveLength(0);
    });

    it('times out a request that never gets an answer, as a transient failure', async () => {
      fake.failNext(1, 'hang');

      const started = Date.now();
      const failure = await failureOf(impatientClient.sendText(creds, customer, 'hi'));

      expect(failure).toMatchObject({ retry: 'transient', code: 'timeout' });
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('treats a dropped connection as a transient network failure', async () => {
      fake.failNext(1, 'network');

      expect(await failureOf(client.sendText(creds, customer, 'hi'))).toMatchObject({
        retry: 'transient',
        code: 'network',
      });
    });

    it('reports a send rejected by the wire-format checks as a permanent parameter error', async () => {
      const failure = await failureOf(client.sendButtons(creds, customer, 'Pick one', []));

      expect(failure).toMatchObject({ retry: 'permanent', code: 'meta:131009' });
    });
  });

  describe('checkToken', () => {
    it('returns the verified name and display number for a valid token', async () => {
      fake.registerAccount('777', 'good-token', { verifiedName: 'Mama Put', displayPhoneNumber: '15550001111' });

      const result = await client.checkToken({ accessToken: 'good-token', phoneNumberId: '777' });

      expect(result).toEqual({ ok: true, name: 'Mama Put', displayPhoneNumber: '15550001111' });
    });

    it('reports an invalid token as a failure that needs reconnection', async () => {
      fake.registerAccount('777', 'good-token');

      const result = await client.checkToken({ accessToken: 'stale-token', phoneNumberId: '777' });

      expect(result).toMatchObject({ ok: false, failure: { reconnect: true, code: 'meta:190' } });
    });
  });
});
