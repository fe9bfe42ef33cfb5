import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import { decodeKeyset, encodeKeyset, toKeysetPage } from './pagination.js';

const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('keyset cursors', () => {
  it('round-trips a position with all six fractional digits', () => {
    const position = { at: '2031-05-06T07:08:09.123456Z', id: randomUUID() };
    expect(decodeKeyset(encodeKeyset(position))).toEqual(position);
  });

  it('reads no cursor as the first page', () => {
    expect(decodeKeyset(undefined)).toBeUndefined();
  });

  it('accepts a null position only where the sort column may be null', () => {
    const cursor = encodeKeyset({ at: null, id: randomUUID() });
    expect(decodeKeyset(cursor, { nullable: true })?.at).toBeNull();
    expect(codeOf(() => decodeKeyset(cursor))).toBe('invalid_cursor');
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['an object', forged({ at: '2031-05-06T07:08:09.123456Z', id: randomUUID() })],
    ['three elements', forged(['2031-05-06T07:08:09.123456Z', randomUUID(), 1])],
    ['milliseconds only', forged(['2031-05-06T07:08:09.123Z', randomUUID()])],
    ['a day that does not exist', forged(['2031-02-30T07:08:09.123456Z', randomUUID()])],
    ['hour 24', forged(['2031-05-06T24:00:00.000000Z', randomUUID()])],
    ['an offset', forged(['2031-05-06T07:08:09.123456+01:00', randomUUID()])],
    ['a number', forged([1_900_000_000_000, randomUUID()])],
    ['a malformed id', forged(['2031-05-06T07:08:09.123456Z', 'x'])],
  ])('refuses %s with invalid_cursor', (_, cursor) => {
    expect(codeOf(() => decodeKeyset(cursor))).toBe('invalid_cursor');
  });

  it('gives a next cursor only when a row beyond the page was fetched', () => {
    const rows = [1, 2, 3].map((n) => ({ id: randomUUID(), position: `2031-05-06T07:08:09.00000${n}Z` }));
    const full = toKeysetPage(rows, 2, (row) => row.id);
    expect(full.items).toEqual([rows[0].id, rows[1].id]);
    expect(decodeKeyset(full.nextCursor!)).toEqual({ at: rows[1].position, id: rows[1].id });
    expect(toKeysetPage(rows, 3, (row) => row.id).nextCursor).toBeNull();
  });
});
