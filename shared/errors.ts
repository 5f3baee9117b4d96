/**
 * The closed set of coded errors Spacelog raises, and the one place that maps
 * each code to what goes back over the wire: an HTTP status, a Pub/Sub outcome
 * and a short text a Chat user may see. Messages are for operators and never
 * carry tokens, keys, secrets, payloads or message text.
 */

/** Every error code Spacelog raises. */
export type ErrorCode =
  | 'invalid-input'
  | 'too-large'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'unavailable'
  | 'misconfigured'
  | 'internal';

/** What a Pub/Sub handler does with a message whose handling failed. */
export type PubsubOutcome = 'ack' | 'retry' | 'quarantine';

interface ErrorMapping {
  readonly status: number;
  readonly pubsub: PubsubOutcome;
  /** The generic text callers see; never the internal message. */
  readonly publicText: string;
}

const MAPPING: Readonly<Record<ErrorCode, ErrorMapping>> = {
  'invalid-input': { status: 400, pubsub: 'quarantine', publicText: 'Bad request.' },
  'too-large': { status: 413, pubsub: 'quarantine', publicText: 'Request too large.' },
  unauthenticated: { status: 401, pubsub: 'quarantine', publicText: 'Unauthenticated.' },
  forbidden: { status: 403, pubsub: 'quarantine', publicText: 'Forbidden.' },
  'not-found': { status: 404, pubsub: 'quarantine', publicText: 'Not found.' },
  conflict: { status: 409, pubsub: 'retry', publicText: 'Conflict, try again.' },
  'rate-limited': { status: 429, pubsub: 'retry', publicText: 'Too many requests.' },
  unavailable: { status: 503, pubsub: 'retry', publicText: 'Temporarily unavailable.' },
  misconfigured: { status: 500, pubsub: 'retry', publicText: 'Internal error.' },
  internal: { status: 500, pubsub: 'retry', publicText: 'Internal error.' },
};

/** Details safe to log: identifiers and counts, never content. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | undefined>>;

/** The one error type Spacelog throws on purpose. */
export class SpacelogError extends Error {
  override readonly name = 'SpacelogError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Shorthand constructors, one per code, so call sites read as sentences. */
export const invalidInput = (message: string, details?: ErrorDetails): SpacelogError =>
  new SpacelogError('invalid-input', message, details);
export const unavailable = (message: string, details?: ErrorDetails, cause?: unknown) =>
  new SpacelogError('unavailable', message, details, { cause });
export const misconfigured = (message: string, details?: ErrorDetails): SpacelogError =>
  new SpacelogError('misconfigured', message, details);

/** Wraps anything thrown into a SpacelogError; unknown errors become `internal`. */
export function toSpacelogError(err: unknown): SpacelogError {
  if (err instanceof SpacelogError) return err;
  return new SpacelogError('internal', 'Unexpected failure.', {}, { cause: err });
}

/** The HTTP status for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  return MAPPING[code].status;
}

/** What to do with a Pub/Sub message whose handling raised this code. */
export function pubsubOutcomeOf(code: ErrorCode): PubsubOutcome {
  return MAPPING[code].pubsub;
}

/** The short, generic text a caller (or a Chat user) may see for this code. */
export function publicTextOf(code: ErrorCode): string {
  return MAPPING[code].publicText;
}

/** True when a retry of the same work may succeed. */
export function isRetryable(code: ErrorCode): boolean {
  return MAPPING[code].pubsub === 'retry';
}
