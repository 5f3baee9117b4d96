/**
 * Counts refused requests by reason without letting a flood of them flood
 * the log: the first refusal of a reason in a minute is logged at once, the
 * rest are summed and logged with the next one after the minute.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';

/** Counts of refusals by reason since start. */
export interface RefusalCounter {
  count(reason: string): void;
  totals(): Readonly<Record<string, number>>;
}

/** A counter logging `message` at WARNING, at most once per reason per minute. */
export function createRefusalCounter(
  logger: Logger,
  clock: Clock,
  message: string,
): RefusalCounter {
  const totals: Record<string, number> = {};
  const lastLogged = new Map<string, { at: number; unlogged: number }>();
  return {
    count(reason) {
      totals[reason] = (totals[reason] ?? 0) + 1;
      const now = clock.now().getTime();
      const seen = lastLogged.get(reason);
      if (seen !== undefined && now - seen.at < 60_000) {
        seen.unlogged += 1;
        return;
      }
      const since = (seen?.unlogged ?? 0) + 1;
      lastLogged.set(reason, { at: now, unlogged: 0 });
      logger.warn(message, { reason, count: since, total: totals[reason] });
    },
    totals: () => ({ ...totals }),
  };
}
