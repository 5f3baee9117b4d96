/**
 * The handler of `scheduledDigest`: Cloud Scheduler publishes a tick to the
 * digest-ticks topic; each tick first sweeps the log into the projections
 * (`chatEvents` records settings and joins without projecting them), then
 * publishes the due digests' jobs and renews the Workspace Events
 * subscriptions that expire soon. The tick's content does not matter, and a
 * repeated tick does no harm (see `tick.ts`).
 */
import { toSpacelogError } from '../errors.js';
import type { Projector } from '../projections/index.js';
import { renewExpiring, type SubscriptionDeps } from '../workspace-events/index.js';
import { handleDigestTick, type DigestTickDeps, type DigestTickReport } from './tick.js';

/** What a scheduled run needs. */
export interface ScheduledDigestDeps {
  readonly tick: DigestTickDeps;
  readonly workspace: SubscriptionDeps;
  /** Sweeps the whole log into the projections from its cursor. */
  readonly projector?: Pick<Projector, 'catchUp'>;
}

/**
 * Builds the handler. It throws (so Pub/Sub delivers the tick again) only
 * when digest jobs could not be published; a failed renewal is logged and
 * tried again at the next tick, within the renewal window.
 */
export function buildScheduledDigest(
  deps: ScheduledDigestDeps,
): (tick?: unknown) => Promise<DigestTickReport> {
  return async () => {
    try {
      await deps.projector?.catchUp();
    } catch (err) {
      // Due spaces are still read from what was projected before; the next tick sweeps again.
      deps.tick.logger.error('Projection sweep failed.', { code: toSpacelogError(err).code });
    }
    const [jobs, renewals] = await Promise.allSettled([
      handleDigestTick(deps.tick),
      renewExpiring(deps.workspace),
    ]);
    if (renewals.status === 'rejected') {
      const error = toSpacelogError(renewals.reason);
      deps.tick.logger.error('Subscription renewal sweep failed.', { code: error.code });
    } else if (renewals.value.renewed + renewals.value.failed > 0) {
      deps.tick.logger.info('Subscriptions renewed.', { ...renewals.value });
    }
    if (jobs.status === 'rejected') throw toSpacelogError(jobs.reason);
    return jobs.value;
  };
}
