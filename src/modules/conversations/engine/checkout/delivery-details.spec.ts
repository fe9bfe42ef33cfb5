import {
  nextMissing,
  normalizePhone,
  regionOf,
  toOrderDeliveryInput,
  withDetail,
  withDetails,
} from './delivery-details.js';

describe('delivery details', () => {
  it('asks name, then phone, then address', () => {
    expect(nextMissing({})).toBe('name');
    expect(nextMissing({ name: 'Ada' })).toBe('phone');
    expect(nextMissing({ name: 'Ada', phone: '+2348031234567' })).toBe('address');
    expect(nextMissing({ name: 'Ada', phone: '+2348031234567', pickup: true })).toBeUndefined();
  });

  it.each([
    ['0803 123 4567', 'NG', '+2348031234567'],
    ['+234 803 123 4567', 'NG', '+2348031234567'],
    ['00234-803-123-4567', 'NG', '+2348031234567'],
    ['(0803) 123-4567', 'NG', '+2348031234567'],
    ['024 412 3456', 'GH', '+233244123456'],
    ['+44 7911 123456', 'NG', '+447911123456'],
  ])('normalises %s in %s to %s', (text, region, e164) => {
    expect(normalizePhone(text, region)).toBe(e164);
  });

  it.each(['12', 'call me', '0803 123', '+1 000', '080312345678901234', ''])('refuses %j as a phone', (text) => {
    expect(normalizePhone(text, 'NG')).toBeUndefined();
  });

  it('reads the region from the locale', () => {
    expect(regionOf('en-NG')).toBe('NG');
    expect(regionOf('en-GH')).toBe('GH');
    expect(regionOf('en')).toBe('NG');
    expect(regionOf('not a locale!')).toBe('NG');
  });

  it('takes pickup instead of an address, and an address instead of pickup', () => {
    const pickup = withDetail({ name: 'Ada', phone: '+2348031234567', address: 'x' }, 'address', ' Pickup ', 'NG');
    expect(pickup).toEqual({ ok: true, draft: { name: 'Ada', phone: '+2348031234567', pickup: true } });
    const address = withDetail({ name: 'Ada', pickup: true }, 'address', '12 Marina,\n Lagos', 'NG');
    expect(address).toEqual({ ok: true, draft: { name: 'Ada', address: '12 Marina, Lagos' } });
  });

  it('refuses a name without letters and an address too short to find', () => {
    expect(withDetail({}, 'name', '12345', 'NG')).toEqual({ ok: false, field: 'name' });
    expect(withDetail({}, 'address', 'abc', 'NG')).toEqual({ ok: false, field: 'address' });
    expect(withDetail({}, 'name', 'x'.repeat(101), 'NG')).toEqual({ ok: false, field: 'name' });
  });

  it('sets several details at once or names the first bad one', () => {
    expect(withDetails({}, { name: 'Ada', phone: '08031234567', address: '12 Marina, Lagos' }, 'NG')).toEqual({
      ok: true,
      draft: { name: 'Ada', phone: '+2348031234567', address: '12 Marina, Lagos' },
    });
    expect(withDetails({}, { name: 'Ada', phone: 'nope' }, 'NG')).toEqual({ ok: false, field: 'phone' });
  });

  it('makes an order delivery only from complete details', () => {
    expect(toOrderDeliveryInput({ name: 'Ada' })).toBeUndefined();
    expect(toOrderDeliveryInput({ name: 'Ada', phone: '+2348031234567', pickup: true })).toEqual({
      name: 'Ada',
      phone: '+2348031234567',
      pickup: true,
    });
  });
});

describe('the number WhatsApp gave us', () => {
  it('stands as the phone even where the region would not read it', () => {
    expect(withDetail({}, 'phone', '+19995550100', 'NG', '+19995550100')).toEqual({
      ok: true,
      draft: { phone: '+19995550100' },
    });
    expect(withDetail({}, 'phone', '+19995550101', 'NG', '+19995550100')).toEqual({ ok: false, field: 'phone' });
  });
});
