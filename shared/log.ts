/**
 * Structured logging for Cloud Logging: one JSON object per line with
 * `severity`, `message` and stable field names, the request's trace when there
 * is one, and every field passed through the redaction layer first.
 * See https://cloud.google.com/logging/docs/structured-logging
 */
import { redact, redactString } from './redact.js';

/** Cloud Logging severities Spacelog uses, lowest first. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

const RANK: Readonly<Record<Severity, number>> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

/** Fields a log line may carry; values are redacted before they are written. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logger every module receives; none constructs its own. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines also carry `fields` (for example a trace or a space). */
  child(fields: LogFields): Logger;
}

/** Options for `createLogger`. */
export interface LoggerOptions {
  /** Lines below this severity are dropped. Default INFO. */
  readonly level?: Severity;
  /** Where a finished line goes. Default: standard output. */
  readonly write?: (line: string) => void;
  /** Fields on every line, such as the function's name. */
  readonly base?: LogFields;
}

/** Builds a logger that writes redacted JSON lines. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? 'INFO'];
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const base = options.base ?? {};

  const emit = (severity: Severity, message: string, fields: LogFields) => {
    const safe = redact({ ...base, ...fields }) as Record<string, unknown>;
    // Reserved keys come last so a field can never pose as the line's own.
    const line = {
      ...safe,
      severity,
      message: redactString(message),
      time: new Date().toISOString(),
    };
    write(JSON.stringify(line));
  };

  // A dropped line costs one comparison: its fields are not even merged.
  const at =
    (severity: Severity, extra: LogFields) =>
    (m: string, f?: LogFields): void => {
      if (RANK[severity] >= min) emit(severity, m, { ...extra, ...f });
    };
  const make = (extra: LogFields): Logger => ({
    debug: at('DEBUG', extra),
    info: at('INFO', extra),
    warn: at('WARNING', extra),
    error: at('ERROR', extra),
    child: (f) => make({ ...extra, ...f }),
  });
  return make({});
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ write: () => undefined });

/**
 * The Cloud Logging trace field for a request, from `traceparent` (W3C) or
 * `X-Cloud-Trace-Context`, or undefined when neither is present.
 */
export function traceFields(
  projectId: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): LogFields {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parent = first(headers['traceparent']);
  const legacy = first(headers['x-cloud-trace-context']);
  const traceId = parent?.split('-')[1] ?? legacy?.split('/')[0];
  if (traceId === undefined || !/^[0-9a-f]{32}$/i.test(traceId)) return {};
  return { 'logging.googleapis.com/trace': `projects/${projectId}/traces/${traceId}` };
}
