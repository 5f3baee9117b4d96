import { describe, expect, it } from 'vitest';
import { captureConsole } from '../../shared/console-guard.js';
import { createLogger } from '../../shared/log.js';

/** A console-shaped object whose methods `captureConsole` replaces, and the lines logged. */
function captured() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'DEBUG',
    write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const ignore = (...args: unknown[]) => void args;
  const target = { error: ignore, warn: ignore, info: ignore, log: ignore, debug: ignore };
  captureConsole(logger, target);
  return { target, lines };
}

/** An error as body-parser makes it for a body that is not JSON. */
function parseFailure(body: string) {
  return Object.assign(new SyntaxError(`Unexpected token 'T', "${body}" is not valid JSON`), {
    body,
    type: 'entity.parse.failed',
    status: 400,
    expose: true,
  });
}

describe('console output of libraries', () => {
  it("keeps a refused body's error without the body or a message that quotes it", () => {
    const { target, lines } = captured();
    target.error(parseFailure('{"text": "TOP SECRET", '));
    expect(JSON.stringify(lines)).not.toContain('TOP SECRET');
    expect(lines).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        source: 'console',
        values: [expect.objectContaining({ name: 'SyntaxError', type: 'entity.parse.failed' })],
      }),
    ]);
  });

  it('logs each method at its severity, scrubbing credentials and content fields', () => {
    const { target, lines } = captured();
    target.warn('Retrying with Bearer abc.def.ghi');
    target.log('plain', { text: 'hello there', count: 2 });
    target.info('info');
    target.debug('debug');
    target.error(new Error('boom'));
    expect(lines.map((l) => l['severity'])).toEqual(['WARNING', 'INFO', 'INFO', 'DEBUG', 'ERROR']);
    expect(lines[0]?.['message']).toBe('Retrying with Bearer [redacted]');
    expect(lines[1]?.['values']).toEqual([{ text: '[redacted]', count: 2 }]);
    expect(lines[4]?.['values']).toEqual([{ name: 'Error', message: 'boom' }]);
  });

  it('takes over a console once: a second call changes nothing', () => {
    const { target, lines } = captured();
    captureConsole(createLogger({ write: () => undefined }), target);
    target.error('still here');
    expect(lines).toHaveLength(1);
  });
});
