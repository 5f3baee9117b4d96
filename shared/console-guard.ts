/**
 * Sends what libraries print on `console` through Spacelog's logger, so it
 * passes the one redaction layer and reaches Cloud Logging as structured
 * lines. It matters: Express, inside the functions framework, answers a body
 * it cannot parse as JSON and then prints the error with `console.error`,
 * and body-parser's error carries the whole request body (message text
 * included) in `err.body`.
 *
 * Strings are scrubbed by the logger; objects are redacted field by field;
 * an error keeps its name, code, type and status, and its message unless it
 * is about a request body, whose message can quote the body.
 */
import type { Logger, LogFields } from './log.js';

type ConsoleMethod = 'error' | 'warn' | 'info' | 'log' | 'debug';

const SEVERITY: Readonly<Record<ConsoleMethod, keyof Omit<Logger, 'child'>>> = {
  error: 'error',
  warn: 'warn',
  info: 'info',
  log: 'info',
  debug: 'debug',
};

const captured = new WeakSet<object>();

/**
 * Replaces `target`'s printing methods (the global `console` by default);
 * call from an entry module. Once per target: where one process serves
 * several functions (the local in-memory stack), the first call holds.
 */
export function captureConsole(
  logger: Logger,
  target: Pick<Console, ConsoleMethod> = console,
): void {
  if (captured.has(target)) return;
  captured.add(target);
  for (const method of Object.keys(SEVERITY) as ConsoleMethod[]) {
    target[method] = (...args: unknown[]) => {
      const [first, ...rest] = args;
      const message = typeof first === 'string' ? first : 'A library wrote to the console.';
      const values = (typeof first === 'string' ? rest : args).map(safeValue);
      const fields: LogFields = { source: 'console', ...(values.length ? { values } : {}) };
      logger[SEVERITY[method]](message, fields);
    };
  }
}

/** An error about a request body loses its message; everything else goes to `redact`. */
function safeValue(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const e = value as Error & { type?: unknown; status?: unknown; body?: unknown };
  const aboutBody =
    e.body !== undefined || (typeof e.type === 'string' && e.type.startsWith('entity.'));
  if (!aboutBody) return value;
  return {
    name: e.name,
    type: e.type,
    status: e.status,
    message: 'The request body could not be read (its content is not logged).',
  };
}
