/**
 * When to try an outbound call again, and how long to wait first:
 * exponential backoff with full jitter, never sooner than the server's
 * `Retry-After`, bounded by a number of attempts and a time budget.
 * https://cloud.google.com/apis/design/errors#retrying_errors
 */
import type { Config } from '../config.js';

/** The bounds of one call's retries. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Time allowed to one attempt, reading the answer included. */
  readonly attemptTimeoutMs: number;
  /** Time allowed to the whole call, waits included. */
  readonly deadlineMs: number;
  /** Upper bound of the first wait; doubles with each attempt. */
  readonly baseDelayMs: number;
  /** Upper bound of any computed wait (a longer `Retry-After` still wins). */
  readonly maxDelayMs: number;
}

/** The retry policy of Chat API and webhook calls, from configuration. */
export function retryPolicyFrom(
  config: Pick<Config, 'chatApiMaxAttempts' | 'chatApiTimeoutMs' | 'chatApiDeadlineMs'>,
): RetryPolicy {
  return {
    maxAttempts: config.chatApiMaxAttempts,
    attemptTimeoutMs: config.chatApiTimeoutMs,
    deadlineMs: config.chatApiDeadlineMs,
    baseDelayMs: 500,
    maxDelayMs: 32_000,
  };
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failed (1-based):
 * a uniform draw in [0, min(maxDelay, base * 2^(attempt-1))] ("full
 * jitter"), raised to `retryAfterMs` when the server asked for longer.
 */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
  retryAfterMs = 0,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs);
}

/**
 * Milliseconds a `Retry-After` header asks for (delay-seconds or an HTTP
 * date), or 0 when absent or unreadable. Capped at one hour.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number {
  if (header === null || header === undefined || header.trim() === '') return 0;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - nowMs;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), 3_600_000) : 0;
}

/** HTTP statuses worth another attempt: throttling and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}
