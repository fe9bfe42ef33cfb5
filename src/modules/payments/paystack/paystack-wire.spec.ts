import { parseMetadata, readInitialize, readVerify } from './paystack-wire.js';

describe('Paystack answers', () => {
  it('reads a verify answer with its metadata given as an object, a JSON string or an empty string', () => {
    const base = { id: 4099260516, status: 'success', reference: 'hwk-1001-abc', amount: 500000, currency: 'ngn' };
    const read = (metadata: unknown) =>
      readVerify({ status: true, data: { ...base, paid_at: '2026-01-02T03:04:05.000Z', metadata } });

    expect(read({ order_id: 'o1' })).toEqual({
      id: '4099260516',
      status: 'success',
      reference: 'hwk-1001-abc',
      amountMinor: 500000,
      currency: 'NGN',
      paidAt: new Date('2026-01-02T03:04:05.000Z'),
      metadata: { order_id: 'o1' },
    });
    expect(read('{"order_id":"o2"}').metadata).toEqual({ order_id: 'o2' });
    expect(read('').metadata).toEqual({});
    expect(read(null).metadata).toEqual({});
    expect(read('[1,2]').metadata).toEqual({});
  });

  it('treats an answer without the promised fields as a transient failure', () => {
    for (const payload of [
      'nope',
      { status: false, message: 'x' },
      { status: true, data: { status: 'success', reference: 'r', amount: '5000', currency: 'NGN' } },
      { status: true, data: { status: 'success', reference: 'r', amount: 1.5, currency: 'NGN' } },
    ]) {
      expect(() => readVerify(payload)).toThrow(
        expect.objectContaining({ retry: 'transient', code: 'malformed_response' }),
      );
    }
  });

  it('accepts only an https authorization_url', () => {
    const answer = (url: string) => ({
      status: true,
      data: { authorization_url: url, access_code: 'ac', reference: 'r' },
    });
    expect(readInitialize(answer('https://checkout.paystack.com/ac'))).toEqual({
      authorizationUrl: 'https://checkout.paystack.com/ac',
      accessCode: 'ac',
      reference: 'r',
    });
    expect(() => readInitialize(answer('javascript:alert(1)'))).toThrow(/authorization_url/);
    expect(() => readInitialize(answer('http://checkout.paystack.com/ac'))).toThrow(/authorization_url/);
  });

  it('parses metadata defensively', () => {
    expect(parseMetadata('{bad')).toEqual({});
    expect(parseMetadata(42)).toEqual({});
  });
});
