import { AppError } from '../../../common/errors/app-error.js';
import { decodeReplyCursor, encodeReplyCursor } from './webchat-cursor.js';

describe('web chat reply cursor', () => {
  const position = { at: '2026-03-01T09:15:42.123456Z', id: '4f1c2a7e-8b7d-4c55-9f43-2f1b8a6d9e01' };

  it('round-trips a position without losing the microseconds', () => {
    expect(decodeReplyCursor(encodeReplyCursor(position))).toEqual(position);
  });

  it('reads no cursor as the start of the transcript', () => {
    expect(decodeReplyCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['not base64 json', 'nope'],
    [
      'a millisecond time',
      Buffer.from(JSON.stringify(['2026-03-01T09:15:42.123Z', position.id])).toString('base64url'),
    ],
    ['an id that is not a uuid', Buffer.from(JSON.stringify([position.at, 'x'])).toString('base64url')],
    ['an object', Buffer.from(JSON.stringify({ at: position.at, id: position.id })).toString('base64url')],
    [
      'an impossible date',
      Buffer.from(JSON.stringify(['2026-13-45T09:15:42.123456Z', position.id])).toString('base64url'),
    ],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeReplyCursor(cursor)).toThrow(AppError);
  });
});
