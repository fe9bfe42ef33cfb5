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

  it('refuses what is not a Paystack event', () => {
    for (const body of [
      null,
      [],
      'x',
      { event: 'charge.success' },
      { event: 42, data: {} },
      { event: 'a b', data: {} },
    ]) {
      expect(() => read(body)).toThrow(expect.objectContaining({ code: 'malformed_body' }));
    }
  });
});
