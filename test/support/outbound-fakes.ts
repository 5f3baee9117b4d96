/**
 * Fakes for outbound unit tests: virtual time (a clock and a sleep that
 * jumps to the next timer once everything else has settled), a scripted
 * `fetch`, and a runtime built from them.
 */
import { silentLogger } from '../../shared/log.js';
import type { OutboundRuntime } from '../../shared/outbound/runtime.js';

/** A clock and sleep in virtual milliseconds; concurrent sleepers wake in time order. */
export function virtualTime(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  const timers: { at: number; wake: () => void }[] = [];
  let scheduled = false;
  const sleeps: number[] = [];

  const fire = () => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift();
    if (!next) return;
    now = Math.max(now, next.at);
    next.wake();
    if (timers.length > 0) schedule();
  };
  // setImmediate runs after pending promise callbacks, so every concurrent sleeper is queued first.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(fire);
  };

  return {
    clock: { now: () => new Date(now) },
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleeps.push(ms);
        timers.push({ at: now + Math.max(0, ms), wake });
        schedule();
      }),
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
    start,
  };
}

/** One scripted answer of the fake fetch. */
export type Scripted =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | { readonly throws: 'timeout' | 'network' };

/** A request the fake fetch saw. */
export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly at: number;
}

/**
 * A fetch that answers from `script` in order (then repeats the last), or
 * from `answer` when given, and records every request.
 */
export function scriptedFetch(
  script: readonly Scripted[],
  now: () => number,
  answer?: (request: SeenRequest) => Scripted,
) {
  const seen: SeenRequest[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    const request: SeenRequest = {
      url: input instanceof Request ? input.url : input.toString(),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      at: now(),
    };
    seen.push(request);
    const next = answer ? answer(request) : (script[seen.length - 1] ?? script[script.length - 1]);
    if (!next) return Promise.reject(new Error('script is empty'));
    if ('throws' in next) {
      const error =
        next.throws === 'timeout'
          ? new DOMException('The operation timed out.', 'TimeoutError')
          : new TypeError('fetch failed');
      return Promise.reject(error);
    }
    return Promise.resolve(
      new Response(next.body === undefined ? '' : JSON.stringify(next.body), {
        status: next.status,
        headers: { 'content-type': 'application/json', ...next.headers },
      }),
    );
  };
  return { fetch: fetchImpl, seen };
}

/** A runtime over virtual time and a scripted fetch; `random` defaults to 0.5. */
export function fakeRuntime(
  time: ReturnType<typeof virtualTime>,
  fetchImpl: typeof fetch,
  random: () => number = () => 0.5,
): OutboundRuntime {
  return { fetch: fetchImpl, clock: time.clock, sleep: time.sleep, random, logger: silentLogger };
}
