/**
 * What Spacelog does with one Workspace Events CloudEvent from Pub/Sub:
 * a Chat change becomes events in the space's log (once, whatever the
 * redeliveries); a lifecycle event keeps the subscription alive: an
 * expiration reminder renews it; a suspended one is reactivated, an expired
 * one made again, and in both cases what was missed is caught up.
 * https://developers.google.com/workspace/events/guides/events-chat
 */
import { toSpacelogError } from '../errors.js';
import type { CatchUpDeps } from './catch-up.js';
import { catchUp } from './catch-up.js';
import type { Subscription } from './client.js';
import {
  lapsed,
  renewSubscription,
  spaceOfTarget,
  subscribeSpace,
  type SubscriptionDeps,
} from './subscriptions.js';
import { logEventsOf, type WorkspaceEvent } from './translate.js';

/** What handling Workspace Events needs. */
export type WorkspaceEventDeps = SubscriptionDeps & CatchUpDeps;

/** What one CloudEvent led to. */
export interface WorkspaceEventOutcome {
  /** Events newly appended to the log. */
  readonly recorded: number;
  /** Events the log already held (redeliveries, or seen through catch-up). */
  readonly duplicates: number;
  /** For lifecycle events: what was done about the subscription. */
  readonly lifecycle?: 'renewed' | 'reactivated' | 'recreated' | 'lost';
}

const LIFECYCLE = 'google.workspace.events.subscription.v1.';
/** Errors that mean a subscription cannot be kept: retrying would not help. */
const GONE: readonly string[] = ['forbidden', 'not-found', 'invalid-input'];

/** Handles one CloudEvent (its `ce-*` attributes and decoded JSON data). */
export async function handleWorkspaceEvent(
  deps: WorkspaceEventDeps,
  event: WorkspaceEvent,
): Promise<WorkspaceEventOutcome> {
  if (event.type.startsWith(LIFECYCLE)) return lifecycle(deps, event);

  let recorded = 0;
  let duplicates = 0;
  for (const newEvent of logEventsOf(event)) {
    const result = await deps.events.append(newEvent);
    if (result.status === 'appended') recorded += 1;
    else duplicates += 1;
  }
  if (recorded + duplicates === 0)
    deps.logger.debug('Workspace event not recorded.', { type: event.type });
  return { recorded, duplicates };
}

async function lifecycle(
  deps: WorkspaceEventDeps,
  event: WorkspaceEvent,
): Promise<WorkspaceEventOutcome> {
  const subscription = (event.data as { subscription?: Partial<Subscription> } | null)
    ?.subscription;
  const space = spaceOfTarget(subscription?.targetResource);
  const name = subscription?.name;
  const kind = event.type.slice(LIFECYCLE.length);
  if (space === undefined || typeof name !== 'string') {
    deps.logger.warn('Subscription lifecycle event without its subscription.', { kind });
    return { recorded: 0, duplicates: 0 };
  }
  const log = deps.logger.child({ space, subscription: name, lifecycle: kind });
  const now = deps.clock.now();
  const sub = { ...subscription, name, targetResource: subscription?.targetResource ?? '' };

  if (kind === 'expirationReminder') {
    try {
      await renewSubscription(deps, sub);
    } catch (err) {
      // Deleted since (the app left) or no longer the app's: nothing to renew; keep the event acked.
      const error = toSpacelogError(err);
      if (!GONE.includes(error.code)) throw error;
      log.info('Expiring subscription is gone; not renewed.', { code: error.code });
      return { recorded: 0, duplicates: 0, lifecycle: 'lost' };
    }
    return { recorded: 1, duplicates: 0, lifecycle: 'renewed' };
  }

  const reason = kind === 'suspended' ? (subscription?.suspensionReason ?? 'suspended') : kind;
  const gap = await deps.events.append(lapsed(space, name, reason, now, event.id ?? event.time));
  let outcome: WorkspaceEventOutcome['lifecycle'];
  try {
    if (kind === 'suspended') {
      await renewSubscription(deps, await deps.client.reactivate(name));
      outcome = 'reactivated';
    } else {
      await subscribeSpace(deps, space);
      outcome = 'recreated';
    }
  } catch (err) {
    // Lost for good (the app left, or the approval was withdrawn): record it, keep the event acked.
    const error = toSpacelogError(err);
    if (!GONE.includes(error.code)) throw error;
    log.warn('Subscription could not be restored.', { code: error.code });
    return { recorded: gap.status === 'appended' ? 1 : 0, duplicates: 0, lifecycle: 'lost' };
  }
  const caught = await catchUp(deps, space, now);
  log.info('Subscription restored after a lapse.', { outcome, caughtUp: caught });
  return {
    recorded: caught + (gap.status === 'appended' ? 1 : 0),
    duplicates: 0,
    lifecycle: outcome,
  };
}
