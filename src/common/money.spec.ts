import { formatMoney, minorUnitExponent, multiplyMinor, sumMinor } from './money.js';

describe('minorUnitExponent', () => {
  // Pinned on purpose: stored amounts are scaled by these, so a runtime whose CLDR data
  // changed one of them must fail here rather than silently rescale every price.
  it.each([
    ['NGN', 2],
    ['GHS', 2],
    ['KES', 2],
    ['ZAR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KWD', 3],
  ])('gives %s %i minor-unit digits', (currency, exponent) => {
    expect(minorUnitExponent(currency)).toBe(exponent);
  });

  it('accepts a lower-case currency code', () => {
    expect(minorUnitExponent('ngn')).toBe(2);
  });

  it.each(['', 'NAIRA', 'N', '12A', 'NG N'])('rejects %j as a currency code', (currency) => {
    expect(() => minorUnitExponent(currency)).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it('formats naira with the naira sign and two decimals', () => {
    expect(formatMoney(150000, 'NGN')).toBe('₦1,500.00');
  });

  it('formats yen without decimals, since the yen has no minor unit', () => {
    expect(formatMoney(1500, 'JPY')).toMatch(/^(JP)?¥1,500$/);
  });

  it('formats dinar with three decimals', () => {
    expect(formatMoney(1500250, 'KWD')).toMatch(/1,500\.250$/);
  });

  it('pads amounts smaller than one major unit', () => {
    expect(formatMoney(5, 'NGN')).toBe('₦0.05');
    expect(formatMoney(0, 'NGN')).toBe('₦0.00');
  });

  it('formats negative amounts such as refunds', () => {
    expect(formatMoney(-5, 'NGN')).toBe('-₦0.05');
    expect(formatMoney(-150000, 'NGN')).toBe('-₦1,500.00');
  });

  it('formats 10^12 minor units exactly', () => {
    expect(formatMoney(10 ** 12, 'NGN')).toBe('₦10,000,000,000.00');
    expect(formatMoney(10 ** 12 + 1, 'NGN')).toBe('₦10,000,000,000.01');
    expect(formatMoney(999_999_999_999, 'NGN')).toBe('₦9,999,999,999.99');
  });

  it('formats the largest safe integer without losing a digit', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'NGN')).toBe('₦90,071,992,547,409.91');
  });

  it('follows the given locale', () => {
    const formatted = formatMoney(123450, 'EUR', 'de-DE');
    expect(formatted).toMatch(/^1\.234,50\s€$/u);
  });

  it.each([1.5, NaN, Infinity, 2 ** 53])('refuses %p minor units', (amount) => {
    expect(() => formatMoney(amount, 'NGN')).toThrow(RangeError);
  });

  it('refuses an unknown currency code shape', () => {
    expect(() => formatMoney(100, 'NAIRA')).toThrow(RangeError);
  });
});

describe('multiplyMinor', () => {
  it('multiplies a unit price by a quantity', () => {
    expect(multiplyMinor(150000, 3)).toBe(450000);
  });

  it('is exact at 10^12 minor units', () => {
    expect(multiplyMinor(10 ** 10, 100)).toBe(10 ** 12);
  });

  it('returns 0, never -0, for a zero product', () => {
    expect(Object.is(multiplyMinor(0, -1), 0)).toBe(true);
  });

  it('throws when the product is no longer a safe integer', () => {
    expect(() => multiplyMinor(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
  });

  it.each([
    [1.5, 2],
    [100, 0.5],
    [NaN, 1],
    [100, Infinity],
  ])('throws on non-integer inputs (%p × %p)', (unit, quantity) => {
    expect(() => multiplyMinor(unit, quantity)).toThrow(RangeError);
  });
});

describe('sumMinor', () => {
  it('adds amounts', () => {
    expect(sumMinor([150000, 250, 1])).toBe(150251);
  });

  it('sums an empty list to zero', () => {
    expect(sumMinor([])).toBe(0);
  });

  it('stays exact at 10^12 minor units, one kobo at a time', () => {
    expect(sumMinor([10 ** 12, 1, 10 ** 12])).toBe(2 * 10 ** 12 + 1);
  });

  it('accepts negative amounts such as discounts', () => {
    expect(sumMinor([150000, -5000])).toBe(145000);
  });

  it('throws when the running total leaves the safe integer range', () => {
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });

  it('throws on a non-integer value', () => {
    expect(() => sumMinor([100, 0.1])).toThrow(RangeError);
  });
});
