import { PaystackClient, type FetchFn } from './paystack.client.js';

const KEY = 'sk_test_0123456789abcdef';

function clientAnswering(answer: () => Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn: FetchFn = async (url, init) => {
    calls.push({ url: url as string, init: init ?? {} });
    return answer();
  };
  return { client: new PaystackClient({ baseUrl: 'https://api.paystack.test/', timeoutMs: 50 }, fetchFn), calls };
}

const json = (status: number, body: unknown) => async () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('PaystackClient', () => {
  it('initializes with the bearer key and our reference, amount, currency and metadata', async () => {
    const { client, calls } = clientAnswering(
      json(200, {
        status: true,
        message: 'Authorization URL created',
        data: { authorization_url: 'https://checkout.paystack.com/ac1', access_code: 'ac1', reference: 'hwk-1-x' },
      }),
    );
    const input = {
      email: 'order-1001-abcd@customers.test',
      amount: 650000,
      currency: 'NGN',
      reference: 'hwk-1001-x',
      metadata: { tenant_id: 't', order_id: 'o', order_number: 1001 },
    };

    const result = await client.initialize(KEY, input);

    expect(result.authorizationUrl).toBe('https://checkout.paystack.com/ac1');
    expect(calls[0].url).toBe('https://api.paystack.test/transaction/initialize');
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(calls[0].init.body as string)).toEqual(input);
  });

  it('tells a refused key (permanent) from an outage (transient), without the key in the error', async () => {
    const refused = clientAnswering(json(401, { status: false, message: `Invalid key ${KEY}` })).client;
    await expect(refused.verify(KEY, 'ref-1')).rejects.toMatchObject({ retry: 'permanent', code: 'http:401' });
    await expect(refused.verify(KEY, 'ref-1')).rejects.toThrow(
      expect.objectContaining({ reason: 'Invalid key [redacted]' }),
    );

    const down = clientAnswering(json(503, { status: false, message: 'down' })).client;
    await expect(down.verify(KEY, 'ref-1')).rejects.toMatchObject({ retry: 'transient', code: 'http:503' });

    const limited = clientAnswering(json(429, { status: false, message: 'slow down' })).client;
    await expect(limited.verify(KEY, 'ref-1')).rejects.toMatchObject({ retry: 'transient', code: 'http:429' });

    const unreachable = clientAnswering(() => Promise.reject(new TypeError('fetch failed'))).client;
    await expect(unreachable.verify(KEY, 'ref-1')).rejects.toMatchObject({ retry: 'transient', code: 'network' });
  });

  it('gives up on a slow answer as a transient timeout', async () => {
    const client = new PaystackClient({ baseUrl: 'https://api.paystack.test', timeoutMs: 20 }, (_url, init) => {
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      });
    });
    await expect(client.verify(KEY, 'ref-1')).rejects.toMatchObject({ retry: 'transient', code: 'timeout' });
  });

  it('refuses a currency Paystack does not settle without calling it', async () => {
    const { client, calls } = clientAnswering(json(200, {}));
    await expect(
      client.initialize(KEY, { email: 'a@b.c', amount: 1, currency: 'EUR', reference: 'r', metadata: {} }),
    ).rejects.toMatchObject({ retry: 'permanent', code: 'unsupported_currency' });
    expect(calls).toHaveLength(0);
  });

  it('escapes the reference in the verify path', async () => {
    const { client, calls } = clientAnswering(
      json(200, { status: true, data: { status: 'success', reference: 'a/b', amount: 1, currency: 'NGN' } }),
    );
    await client.verify(KEY, 'a/b');
    expect(calls[0].url).toBe('https://api.paystack.test/transaction/verify/a%2Fb');
  });
});
