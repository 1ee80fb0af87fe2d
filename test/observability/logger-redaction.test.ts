import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions } from '../../src/logger';

function capture(options: { stacks?: boolean } = {}): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: pino(loggerOptions('info', options), stream),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('log redaction', () => {
  it('removes secret-bearing fields at the top and one level down, and keeps the rest', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        service: 'api',
        env: { DB_PASSWORD: 'hunter2' },
        password: 'hunter2',
        apiKey: 'k',
        headers: { authorization: 'Bearer t', accept: 'json' },
        input: { token: 't', env: { A: 'b' }, name: 'x' },
      },
      'service started',
    );
    expect(lines()).toEqual([
      expect.objectContaining({
        msg: 'service started',
        service: 'api',
        env: '[redacted]',
        password: '[redacted]',
        apiKey: '[redacted]',
        headers: { authorization: '[redacted]', accept: 'json' },
        input: { token: '[redacted]', env: '[redacted]', name: 'x' },
      }),
    ]);
  });

  it('writes an error logged under `error` with its type and message', () => {
    const { logger, lines } = capture();
    logger.error({ error: Object.assign(new Error('key "a" missing'), { name: 'PayloadDecryptionError' }) }, 'failed');
    expect(lines()[0]?.error).toMatchObject({ type: 'Error', message: 'key "a" missing' });
  });
});

describe('errors in log lines', () => {
  it('carry their type and message, and their stack only when stacks are kept (the CLI leaves them out)', () => {
    const full = capture();
    const short = capture({ stacks: false });
    for (const { logger } of [full, short])
      logger.warn({ error: new TypeError('secret DB_PASSWORD is unavailable') }, 'Activity failed');
    const [withStack] = full.lines();
    const [withoutStack] = short.lines();
    expect(withStack?.error).toEqual(
      expect.objectContaining({
        type: 'TypeError',
        message: 'secret DB_PASSWORD is unavailable',
        stack: expect.stringContaining('TypeError: secret'),
      }),
    );
    expect(withoutStack?.error).toEqual({ type: 'TypeError', message: 'secret DB_PASSWORD is unavailable' });
  });
});
