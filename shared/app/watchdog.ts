/**
 * The reply deadline. Chat waits 30 s for a synchronous answer; the
 * watchdog answers at `REPLY_DEADLINE_MS` when the work has not, while the
 * work goes on. Whoever answers first claims the request; the other side
 * sees its claim refused and only logs. A timer and a flag, no promise
 * races: under the functions framework every promise is traced (domains,
 * AsyncLocalStorage), so the request path keeps them few.
 */

/** One request's deadline. */
export interface Watchdog {
  /** True for the first caller (the work, or the expiry); false afterwards. */
  claim(): boolean;
}

/** Starts a watchdog that calls `onExpiry` after `ms` unless the work claims first. */
export function startWatchdog(ms: number, onExpiry: () => void): Watchdog {
  let claimed = false;
  const claim = () => {
    if (claimed) return false;
    claimed = true;
    clearTimeout(timer);
    return true;
  };
  const timer = setTimeout(() => {
    if (claim()) onExpiry();
  }, ms);
  timer.unref();
  return { claim };
}
