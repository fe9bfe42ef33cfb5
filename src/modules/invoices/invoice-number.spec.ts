import { invoiceNumber, yearIn } from './invoice-number.js';

describe('invoiceNumber', () => {
  it('pads the sequence to six digits and grows past them', () => {
    expect(invoiceNumber(2026, 42)).toBe('INV-2026-000042');
    expect(invoiceNumber(2026, 1_234_567)).toBe('INV-2026-1234567');
  });

  it('refuses a sequence that is not a positive integer', () => {
    expect(() => invoiceNumber(2026, 0)).toThrow(RangeError);
    expect(() => invoiceNumber(2026, 1.5)).toThrow(RangeError);
  });
});

describe('yearIn', () => {
  it('takes the year where the business is', () => {
    const newYearInLagos = new Date('2025-12-31T23:30:00Z');
    expect(yearIn(newYearInLagos, 'Africa/Lagos')).toBe(2026);
    expect(yearIn(newYearInLagos, 'America/New_York')).toBe(2025);
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(yearIn(new Date('2025-12-31T23:30:00Z'), 'Mars/Olympus')).toBe(2025);
  });
});
