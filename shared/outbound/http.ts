/**
 * The one retrying HTTP path of every outbound call (Chat API, incoming
 * webhooks, Pub/Sub publish). Per attempt: pace the write, authorize, send
 * with a timeout, read the answer. 429, 408, 5xx, timeouts and network
 * failures are tried again after a backoff (never sooner than `Retry-After`),
 * within the policy's attempts and deadline; a 401 fetches a fresh token and
 * is tried once more; other 4xx answers become coded errors at once.
 * Errors thrown while pacing or authorizing (already coded: a deadline
 * passed, a token refused) end the call without a retry here.
 */
import { SpacelogError, type ErrorCode, type ErrorDetails } from '../errors.js';
import type { WritePacer } from './pacer.js';
import { backoffDelayMs, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry.js';
import type { OutboundRuntime } from './runtime.js';

/** One outbound call. */
export interface OutboundRequest {
  /** Names the call in errors and logs, such as `spaces.messages.create`. */
  readonly call: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: string;
  /** Sent as JSON when present. */
  readonly body?: unknown;
  /** Headers of an attempt; `fresh` asks for a new token after a 401. */
  readonly authorize?: (fresh: boolean) => Promise<Readonly<Record<string, string>>>;
  /** Set for writes: each attempt waits for a write slot of this space. */
  readonly pacedSpace?: string;
  /** Safe identifiers for errors and logs; never the URL, which may be a secret. */
  readonly details?: ErrorDetails;
}

/** A successful answer: its status and parsed JSON body (`{}` when empty). */
export interface OutboundResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Sends outbound requests with retries. */
export interface OutboundHttp {
  send(request: OutboundRequest): Promise<OutboundResponse>;
}

type Attempt =
  | { readonly kind: 'ok'; readonly response: OutboundResponse }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly body: unknown;
      readonly retryAfterMs: number;
    }
  | { readonly kind: 'timeout' | 'network' };

/** Builds the retrying sender over a runtime, a policy and (for writes) a pacer. */
export function createOutboundHttp(
  runtime: OutboundRuntime,
  policy: RetryPolicy,
  pacer?: WritePacer,
): OutboundHttp {
  const now = () => runtime.clock.now().getTime();

  return {
    async send(request) {
      const deadlineAt = now() + policy.deadlineMs;
      let refreshed = false;
      let last: Attempt = { kind: 'timeout' };

      for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
        if (request.pacedSpace !== undefined && pacer !== undefined) {
          await pacer.acquire(request.pacedSpace, deadlineAt);
        }
        const fresh = refreshed && last.kind === 'status' && last.status === 401;
        const headers = request.authorize ? await request.authorize(fresh) : {};
        last = await attemptOnce(
          runtime,
          request,
          headers,
          Math.min(policy.attemptTimeoutMs, deadlineAt - now()),
        );
        if (last.kind === 'ok') return last.response;

        if (last.kind === 'status' && last.status === 401 && request.authorize && !refreshed) {
          // The one try with a fresh token is not one of the policy's attempts: a
          // token refused on the last attempt (a key rotated meanwhile) would
          // otherwise end the call as unauthenticated, never retried (found by the soak).
          refreshed = true;
          attempt -= 1;
          continue;
        }
        if (last.kind === 'status' && !isRetryableStatus(last.status)) {
          throw failure(request, last, attempt);
        }
        const retryAfterMs = last.kind === 'status' ? last.retryAfterMs : 0;
        if (last.kind === 'status' && last.status === 429 && request.pacedSpace !== undefined) {
          pacer?.holdUntil(request.pacedSpace, now() + retryAfterMs);
        }
        const delay = backoffDelayMs(attempt, policy, runtime.random, retryAfterMs);
        if (attempt === policy.maxAttempts || now() + delay >= deadlineAt) {
          throw failure(request, last, attempt);
        }
        runtime.logger.debug('Outbound call will be retried.', {
          call: request.call,
          attempt,
          outcome: last.kind === 'status' ? last.status : last.kind,
          delayMs: delay,
          ...request.details,
        });
        await runtime.sleep(delay);
      }
      throw failure(request, last, policy.maxAttempts);
    },
  };
}

async function attemptOnce(
  runtime: OutboundRuntime,
  request: OutboundRequest,
  auth: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Attempt> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), Math.max(1, timeoutMs));
  try {
    const headers: Record<string, string> = { ...auth, accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    const response = await runtime.fetch(request.url, {
      method: request.method,
      headers,
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
      signal: abort.signal,
    });
    const text = await response.text();
    const body = parseBody(text);
    if (response.ok) return { kind: 'ok', response: { status: response.status, body } };
    const retryAfterMs = parseRetryAfter(
      response.headers.get('retry-after'),
      runtime.clock.now().getTime(),
    );
    return { kind: 'status', status: response.status, body, retryAfterMs };
  } catch (err) {
    const name = (err as { name?: unknown }).name;
    return { kind: abort.signal.aborted || name === 'TimeoutError' ? 'timeout' : 'network' };
  } finally {
    clearTimeout(timer);
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'invalid-input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  412: 'conflict',
  413: 'too-large',
  429: 'rate-limited',
};

/** The coded error for an HTTP status from a Google API. */
export function codeOfStatus(status: number): ErrorCode {
  if (status >= 500 || status === 408) return 'unavailable';
  return CODE_OF_STATUS[status] ?? 'invalid-input';
}

/** Google's error status and ErrorInfo reason, when the body has them. */
export function googleErrorOf(body: unknown): { status?: string; reason?: string } {
  const error = (body as { error?: { status?: unknown; details?: unknown } } | null)?.error;
  if (typeof error !== 'object' || error === null) return {};
  const details = Array.isArray(error.details) ? (error.details as unknown[]) : [];
  const reason = details
    .map((d) => (d as { reason?: unknown } | null)?.reason)
    .find((r): r is string => typeof r === 'string');
  return {
    ...(typeof error.status === 'string' && { status: error.status }),
    ...(reason !== undefined && { reason }),
  };
}

function failure(request: OutboundRequest, last: Attempt, attempts: number): SpacelogError {
  if (last.kind !== 'status') {
    const what = last.kind === 'timeout' ? 'timed out' : 'could not connect';
    return new SpacelogError(
      'unavailable',
      `${request.call} ${what} after ${attempts} attempt(s).`,
      {
        call: request.call,
        attempts,
        ...request.details,
      },
    );
  }
  const google = googleErrorOf(last.body);
  const code = codeOfStatus(last.status);
  const status = google.status === undefined ? `${last.status}` : `${last.status} ${google.status}`;
  return new SpacelogError(
    code,
    `${request.call} failed: ${status} after ${attempts} attempt(s).`,
    {
      call: request.call,
      status: last.status,
      attempts,
      ...(google.status !== undefined && { googleStatus: google.status }),
      ...(google.reason !== undefined && { reason: google.reason }),
      ...request.details,
    },
  );
}
