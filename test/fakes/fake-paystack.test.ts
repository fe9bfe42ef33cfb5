import { PaystackClient } from '../../src/modules/payments/paystack/paystack.client.js';
import { verifyPaystackSignature } from '../../src/modules/payments/paystack/paystack-signature.js';
import { paystackTestKey, startFakePaystack, type FakePaystack } from './fake-paystack.js';

describe('fake Paystack, through the real client', () => {
  let fake: FakePaystack;
  let client: PaystackClient;
  const key = paystackTestKey();
  const input = (reference: string) => ({
    email: 'order-1001-abcd1234@customers.test',
    amount: 650_000,
    currency: 'NGN',
    reference,
    metadata: { tenant_id: 't1', order_id: 'o1', order_number: 1001 },
  });

  beforeAll(async () => {
    fake = await startFakePaystack();
    fake.registerKey(key);
    client = new PaystackClient({ baseUrl: fake.url, timeoutMs: 2000 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('initializes a transaction, records it, and verifies it as paid by default', async () => {
    const link = await client.initialize(key, input('hwk-1001-a1'));

    expect(link.authorizationUrl).toMatch(/^https:\/\/checkout\.paystack\.test\/[0-9a-f]{16}$/);
    expect(fake.initialized).toEqual([expect.objectContaining({ secretKey: key, reference: 'hwk-1001-a1' })]);
    expect(fake.initialized[0].body).toEqual(input('hwk-1001-a1'));
    expect(await client.verify(key, 'hwk-1001-a1')).toMatchObject({
      status: 'success',
      reference: 'hwk-1001-a1',
      amountMinor: 650_000,
      currency: 'NGN',
      metadata: { tenant_id: 't1', order_id: 'o1', order_number: 1001 },
    });
  });

  it('answers verify as scripted, metadata as an empty string included', async () => {
    await client.initialize(key, input('hwk-1001-a2'));
    fake.scriptVerify('hwk-1001-a2', { status: 'abandoned', amount: 1, currency: 'GHS', metadata: '' });

    expect(await client.verify(key, 'hwk-1001-a2')).toMatchObject({
      status: 'abandoned',
      amountMinor: 1,
      currency: 'GHS',
      metadata: {},
      paidAt: null,
    });
  });

  it('refuses an unknown key with 401, another account’s reference and a duplicate reference with 400', async () => {
    await client.initialize(key, input('hwk-1001-a3'));
    const stranger = paystackTestKey();
    await expect(client.verify(stranger, 'hwk-1001-a3')).rejects.toMatchObject({
      code: 'http:401',
      retry: 'permanent',
    });
    fake.registerKey(stranger);
    await expect(client.verify(stranger, 'hwk-1001-a3')).rejects.toMatchObject({ code: 'http:400' });
    await expect(client.initialize(key, input('hwk-1001-a3'))).rejects.toMatchObject({
      code: 'http:400',
      reason: 'Duplicate Transaction Reference',
    });
  });

  it('fails the next calls on demand, as a 5xx or a dropped connection', async () => {
    fake.failNext(1);
    fake.failNext(1, 'network');
    await expect(client.initialize(key, input('hwk-1001-a4'))).rejects.toMatchObject({
      code: 'http:500',
      retry: 'transient',
    });
    await expect(client.initialize(key, input('hwk-1001-a4'))).rejects.toMatchObject({
      code: 'network',
      retry: 'transient',
    });
    await expect(client.initialize(key, input('hwk-1001-a4'))).resolves.toMatchObject({ reference: 'hwk-1001-a4' });
    expect(fake.requestCount).toBe(3);
  });

  it('builds a charge.success webhook for the initialized amount, signed with the key', async () => {
    await client.initialize(key, input('hwk-1001-a5'));
    const { body, signature } = fake.chargeSuccess(key, 'hwk-1001-a5');

    expect(JSON.parse(body)).toMatchObject({
      event: 'charge.success',
      data: { status: 'success', reference: 'hwk-1001-a5', amount: 650_000, currency: 'NGN' },
    });
    expect(verifyPaystackSignature(Buffer.from(body), signature, key)).toBe(true);
    expect(verifyPaystackSignature(Buffer.from(body), signature, paystackTestKey())).toBe(false);
  });
});
