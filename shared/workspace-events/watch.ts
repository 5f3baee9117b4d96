/**
 * The `WatchSpace` command: the app joined a space (subscribe to its events)
 * or left it (delete the subscription). A space the app can no longer reach
 * by the time the command runs is logged and acknowledged, not retried.
 *
 * Once per cause: a join's subscription is recorded under an id derived from
 * the interaction that added the app, so the same command published again
 * (Chat redelivered the interaction) or delivered again finds it done and
 * calls nothing. Leaving needs no such mark: with the subscription deleted, a
 * repeat finds nothing to delete.
 */
import type { WatchSpace } from '../commands.js';
import { toSpacelogError } from '../errors.js';
import { subscribeSpace, unsubscribeSpace, type SubscriptionDeps } from './subscriptions.js';

/** What a `WatchSpace` command did. */
export type Watched =
  'subscribed' | 'adopted' | 'already-done' | 'disabled' | 'unsubscribed' | 'unreachable';

/** Id of the event that records the subscription a join caused. */
export function watchedEventId(cause: string): string {
  return `${cause}.watch-space`;
}

/** Runs one `WatchSpace` command. */
export async function handleWatchSpace(
  deps: SubscriptionDeps,
  command: WatchSpace,
): Promise<Watched> {
  try {
    if (!command.watch) {
      await unsubscribeSpace(deps, command.space);
      return 'unsubscribed';
    }
    const marker = command.cause === undefined ? undefined : watchedEventId(command.cause);
    if (marker !== undefined && (await deps.events.get(marker)) !== undefined) {
      return 'already-done';
    }
    const made = await subscribeSpace(deps, command.space, marker);
    return made.status === 'created' ? 'subscribed' : made.status;
  } catch (err) {
    const error = toSpacelogError(err);
    if (error.code !== 'forbidden' && error.code !== 'not-found') throw error;
    deps.logger.warn('Space not reachable for its subscription.', {
      space: command.space,
      watch: command.watch,
      code: error.code,
    });
    return 'unreachable';
  }
}
