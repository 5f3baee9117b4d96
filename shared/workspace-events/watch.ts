/**
 * The `WatchSpace` command: the app joined a space (subscribe to its events)
 * or left it (delete the subscription). A space the app can no longer reach
 * by the time the command runs is logged and acknowledged, not retried.
 */
import type { WatchSpace } from '../commands.js';
import { toSpacelogError } from '../errors.js';
import { subscribeSpace, unsubscribeSpace, type SubscriptionDeps } from './subscriptions.js';

/** What a `WatchSpace` command did. */
export type Watched = 'subscribed' | 'adopted' | 'disabled' | 'unsubscribed' | 'unreachable';

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
    const made = await subscribeSpace(deps, command.space);
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
