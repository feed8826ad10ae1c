import { Logger } from '@nestjs/common';
import { JsonLogger } from './json-logger';
import { runInRequestContext } from './request-context';

function capture(level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal') {
  const lines: string[] = [];
  const logger = new JsonLogger({
    service: 'evidence',
    level,
    write: (l) => lines.push(l),
    clock: () => new Date('2025-01-02T03:04:05.678Z'),
  });
  const parsed = () => lines.map((l) => JSON.parse(l));
  return { logger, lines, parsed };
}

describe('JsonLogger', () => {
  it('writes one parseable JSON object per line with time, level, service, context and message', () => {
    const { logger, lines, parsed } = capture();
    logger.log('started', 'Bootstrap');
    logger.warn({ message: 'slow query', durationMs: 120, level: 'ignored' }, 'Store');
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(parsed()).toEqual([
      {
        time: '2025-01-02T03:04:05.678Z',
        level: 'info',
        service: 'evidence',
        context: 'Bootstrap',
        message: 'started',
      },
      {
        time: '2025-01-02T03:04:05.678Z',
        level: 'warn',
        service: 'evidence',
        context: 'Store',
        message: 'slow query',
        durationMs: 120,
      },
    ]);
  });

  it("follows Nest's error(message, stack, context) and records Errors with their stack", () => {
    const { logger, parsed } = capture();
    const error = Object.assign(new Error('boom'), { code: 'E42' });
    logger.error('handler failed', error.stack, 'Handler');
    logger.error({ message: 'append failed', error });
    const [first, second] = parsed();
    expect(first).toMatchObject({ level: 'error', context: 'Handler', message: 'handler failed' });
    expect(first.error.stack).toContain('Error: boom');
    expect(second.error).toMatchObject({ name: 'Error', message: 'boom', code: 'E42' });
    expect(second.error.stack).toContain('json-logger.spec.ts');
  });

  it('drops lines below its level', () => {
    const { logger, parsed } = capture('warn');
    logger.debug('no');
    logger.log('no');
    logger.verbose('no');
    logger.warn('yes');
    logger.fatal('yes too');
    expect(parsed().map((l) => l.level)).toEqual(['warn', 'fatal']);
    expect(logger.isLevelEnabled('error')).toBe(true);
    expect(logger.isLevelEnabled('info')).toBe(false);
  });

  it('adds requestId and tenant of the request being handled', () => {
    const { logger, parsed } = capture();
    runInRequestContext({ requestId: 'r-1', tenant: 'acme' }, () => logger.log('inside'));
    logger.log('outside');
    expect(parsed()[0]).toMatchObject({ requestId: 'r-1', tenant: 'acme' });
    expect(parsed()[1]).not.toHaveProperty('requestId');
  });

  it('never throws on values JSON cannot hold', () => {
    const { logger, parsed } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    const shared = { a: 1 };
    logger.log({ message: 'odd', big: 10n, loop, one: shared, two: shared });
    expect(parsed()[0]).toMatchObject({
      big: '10',
      loop: { name: 'loop', self: '[Circular]' },
      one: { a: 1 },
      two: { a: 1 },
    });
  });

  it("receives Nest's Logger calls once installed as the app logger", () => {
    const { logger, parsed } = capture();
    Logger.overrideLogger(logger);
    try {
      new Logger('Projection').log({ message: 'caught up', position: 7 });
    } finally {
      Logger.overrideLogger(true);
    }
    expect(parsed()[0]).toMatchObject({ context: 'Projection', message: 'caught up', position: 7 });
  });
});
