import { bindNamed } from './named-sql.js';

describe('bindNamed', () => {
  it('numbers each name once, in order of first use, and leaves casts alone', () => {
    expect(bindNamed(`SELECT :b::text, :a, :b, '{}'::jsonb`, { a: 1, b: 2, c: 3 })).toEqual([
      `SELECT $1::text, $2, $1, '{}'::jsonb`,
      [2, 1],
    ]);
  });

  it('refuses a name it has no value for', () => {
    expect(() => bindNamed('SELECT :missing', {})).toThrow(/:missing/);
  });
});
