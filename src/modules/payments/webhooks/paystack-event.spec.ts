import { readPaystackEvent } from './paystack-event.js';

const read = (body: unknown) => readPaystackEvent(body, Buffer.from(JSON.stringify(body)));

describe('readPaystackEvent', () => {
  it('dedupes a charge on event and data.id, else on its reference', () => {
    expect(read({ event: 'charge.success', data: { id: 302961, reference: 'hwk-1-a' } })).toMatchObject({
      event: 'charge.success',
      dedupeKey: 'charge.success:id:302961',
      reference: 'hwk-1-a',
    });
    expect(read({ event: 'charge.success', data: { reference: 'hwk-1-a' } }).dedupeKey).toBe(
      'charge.success:ref:hwk-1-a',
    );
  });

  it('finds the charge a refund or dispute is about', () => {
    expect(read({ event: 'refund.processed', data: { id: 1, transaction_reference: 'hwk-2-b' } }).reference).toBe(
      'hwk-2-b',
    );
    expect(
      read({ event: 'charge.dispute.create', data: { id: 2, transaction: { reference: 'hwk-3-c' } } }).reference,
    ).toBe('hwk-3-c');
  });

  it('falls back to the body’s hash when nothing else names the delivery', () => {
    const event = read({ event: 'subscription.create', data: { plan: {} } });
    expect(event.reference).toBeNull();
    expect(event.dedupeKey).toMatch(/^subscription\.create:body:[0-9a-f]{64}$/);
  });

  it('reads a signed body of any other shape as unreadable, known by its bytes', () => {
    for (const body of [
      null,
      [],
      'x',
      { event: 'charge.success' },
      { event: 42, data: {} },
      { event: 'a b', data: {} },
    ]) {
      const event = read(body);
      expect(event).toMatchObject({ readable: false, reference: null });
      expect(event.dedupeKey).toMatch(/:body:[0-9a-f]{64}$/);
      expect(Object.keys(event.payload)).toEqual(['event']);
    }
    expect(read({ event: 'charge.success', data: 'x' }).event).toBe('charge.success');
    expect(read({ event: 'a b', data: {} }).event).toBe('(malformed)');
  });

  it('keeps only the allowlisted fields, never the card authorization, customer, log or IP', () => {
    const event = read({
      event: 'charge.success',
      data: {
        id: 302961,
        reference: 'hwk-1-a',
        amount: 500000,
        currency: 'NGN',
        status: 'success',
        paid_at: '2026-01-05T10:00:00.000Z',
        channel: 'card',
        ip_address: '41.1.2.3',
        metadata: JSON.stringify({ tenant_id: 't', order_id: 'o', order_number: 7, note: 'call me on +234…' }),
        authorization: { authorization_code: 'AUTH_secret', last4: '4081', reusable: true },
        customer: { email: 'ada@example.com', phone: '+2348012345678' },
        log: { history: [{ message: 'Attempted to pay' }] },
      },
    });
    expect(event.payload).toEqual({
      event: 'charge.success',
      data: {
        id: '302961',
        reference: 'hwk-1-a',
        amount: 500000,
        currency: 'NGN',
        status: 'success',
        paid_at: '2026-01-05T10:00:00.000Z',
        channel: 'card',
        metadata: { tenant_id: 't', order_id: 'o', order_number: 7 },
      },
    });
  });

  it('stores a refund under the charge it is about', () => {
    const event = read({ event: 'refund.processed', data: { transaction_reference: 'hwk-2-b', amount: '1500' } });
    expect(event.payload.data).toEqual({ reference: 'hwk-2-b', amount: '1500' });
  });
});
