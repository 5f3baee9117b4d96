/**
 * What outbound code takes from its process, injected so that tests run
 * fast and deterministically: the network, time, waiting, chance and logs.
 */
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../log.js';

/** The process-facing collaborators of every outbound call. */
export interface OutboundRuntime {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  /** Resolves after `ms` milliseconds (a test's fake may move its clock instead). */
  readonly sleep: (ms: number) => Promise<void>;
  /** A uniform draw in [0, 1), for jitter. */
  readonly random: () => number;
  readonly logger: Logger;
}

/** The real network, clock, timers and `Math.random`. */
export function systemRuntime(logger: Logger): OutboundRuntime {
  return {
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
    random: Math.random,
    logger,
  };
}
