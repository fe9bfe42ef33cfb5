/**
 * Money is an integer count of a currency's minor unit (kobo, cents, fils) plus an
 * ISO 4217 code. No amount ever passes through a float: 0.1 + 0.2 !== 0.3, and a total
 * that is one kobo off is a payment that does not match its order.
 *
 * The number of minor-unit digits comes from the runtime's CLDR data (through Intl), so
 * storage and display cannot disagree. CLDR and ISO 4217 differ for a few currencies
 * (IDR, HUF, COP, IQD, LBP: CLDR says 0 digits), which matters when converting for a
 * payment provider; money.spec.ts pins the exponents of the currencies we sell in so
 * that a Node/ICU upgrade that changes one fails CI instead of rescaling stored amounts.
 */

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Formatters are costly to build and the set of locale × currency pairs is small. */
const formatters = new Map<string, Intl.NumberFormat>();
const MAX_CACHED_FORMATTERS = 256;

/** The number of decimal digits of the currency's minor unit: NGN 2, JPY 0, KWD 3. */
export function minorUnitExponent(currency: string): number {
  // The digits are a property of the currency, not of the locale, so any locale will do.
  const digits = currencyFormatter(currency, 'en').resolvedOptions().maximumFractionDigits;
  if (digits === undefined) {
    throw new RangeError(`No minor unit is known for currency ${currency}`);
  }
  return digits;
}

/** Formats an integer minor-unit amount for a customer: formatMoney(150000, 'NGN') is "₦1,500.00". */
export function formatMoney(amountMinor: number, currency: string, locale = 'en-NG'): string {
  assertSafeInteger(amountMinor, 'amountMinor');
  const decimal = toDecimalString(amountMinor, minorUnitExponent(currency));
  // A decimal string is formatted exactly; dividing by 10^exponent would go through a
  // float and lose digits on large amounts.
  return currencyFormatter(currency, locale).format(decimal);
}

/** The price of `quantity` units; throws rather than return an inexact total. */
export function multiplyMinor(unitMinor: number, quantity: number): number {
  assertSafeInteger(unitMinor, 'unitMinor');
  assertSafeInteger(quantity, 'quantity');
  return assertSafeInteger(unitMinor * quantity + 0, 'product'); // + 0 turns -0 into 0.
}

/** The sum of minor-unit amounts; throws rather than return an inexact total. */
export function sumMinor(values: readonly number[]): number {
  let total = 0;
  for (const value of values) {
    assertSafeInteger(value, 'value');
    total = assertSafeInteger(total + value, 'sum');
  }
  return total;
}

function currencyFormatter(currency: string, locale: string): Intl.NumberFormat {
  const code = currency.toUpperCase();
  if (!CURRENCY_CODE.test(code)) {
    throw new RangeError(`Not an ISO 4217 currency code: ${JSON.stringify(currency)}`);
  }
  const key = `${locale}|${code}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: code });
    if (formatters.size >= MAX_CACHED_FORMATTERS) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** 150000 with exponent 2 becomes "1500.00"; -5 becomes "-0.05". */
function toDecimalString(amountMinor: number, exponent: number): `${number}` {
  const sign = amountMinor < 0 ? '-' : '';
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}` as `${number}`;
  const whole = digits.slice(0, -exponent);
  const fraction = digits.slice(-exponent);
  return `${sign}${whole}.${fraction}` as `${number}`;
}

function assertSafeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be a safe integer of minor units, got ${value}`);
  }
  return value;
}
