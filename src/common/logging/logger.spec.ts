import { pino } from 'pino';
import { Writable } from 'node:stream';
import { createRootLogger } from './logger.js';

describe('createRootLogger', () => {
  it('redacts passwords, tokens and secrets wherever they appear', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createRootLogger('info', sink);
    logger.info(
      {
        password: 'hunter22',
        body: { accessToken: 'EAAG123', nested: { secretKey: 'sk_live_1' } },
        req: { headers: { authorization: 'Bearer abc' } },
      },
      'hello',
    );
    const line = lines.join('');
    expect(line).toContain('hello');
    for (const secret of ['hunter22', 'EAAG123', 'sk_live_1', 'Bearer abc']) expect(line).not.toContain(secret);
    expect(pino.stdTimeFunctions.isoTime).toBeDefined();
  });
});

describe('error serialisation', () => {
  it('keeps the parameters of a failed query out of the log', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const error = Object.assign(new Error('duplicate key'), {
      query: 'INSERT INTO messages …',
      parameters: ['secret customer text'],
    });
    createRootLogger('info', sink).error({ err: error }, 'failed');
    expect(lines.join('')).toContain('duplicate key');
    expect(lines.join('')).not.toContain('secret customer text');
  });
});
