/**
 * `INV-<year of issue>-<sequence>`, the sequence zero-padded to six digits (it grows past
 * 999999 rather than wrap). The year is only a label: the sequence runs on across years,
 * so a number never repeats.
 */
export function invoiceNumber(issueYear: number, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`Bad invoice sequence ${sequence}`);
  if (!Number.isInteger(issueYear) || issueYear < 1000 || issueYear > 9999) {
    throw new RangeError(`Bad invoice year ${issueYear}`);
  }
  return `INV-${issueYear}-${String(sequence).padStart(6, '0')}`;
}

/** The calendar year of `at` where the business is, so a New Year's Eve sale is not dated next year. */
export function yearIn(at: Date, timeZone: string): number {
  try {
    const year = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(at);
    return Number(year);
  } catch {
    // Tenant time zones are validated on input; a zone this runtime no longer knows falls back to UTC.
    return at.getUTCFullYear();
  }
}
