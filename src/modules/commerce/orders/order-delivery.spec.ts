import { toOrderDelivery } from './order-delivery.js';

describe('toOrderDelivery', () => {
  it('keeps an address delivery, trimmed, and drops unknown fields', () => {
    expect(toOrderDelivery({ name: ' Ada ', phone: '+2348012345678', address: ' 1 Marina ', extra: 1 })).toEqual({
      name: 'Ada',
      phone: '+2348012345678',
      address: '1 Marina',
    });
  });

  it('accepts pickup instead of an address', () => {
    expect(toOrderDelivery({ name: 'Ada', phone: '+2348012345678', pickup: true })).toEqual({
      name: 'Ada',
      phone: '+2348012345678',
      pickup: true,
    });
  });

  it.each([
    [{ phone: '+2348012345678', address: 'x' }, 'name'],
    [{ name: 'Ada', phone: '08012345678', address: 'x' }, 'phone'],
    [{ name: 'Ada', phone: '+2348012345678' }, 'address'],
    [{ name: 'Ada', phone: '+2348012345678', pickup: 'yes' }, 'address'],
    [null, 'name'],
  ])('refuses %j with invalid_delivery naming %s', (input, field) => {
    expect(() => toOrderDelivery(input)).toThrow(
      expect.objectContaining({ code: 'invalid_delivery', details: { field } }) as Error,
    );
  });
});
