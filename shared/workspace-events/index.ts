/**
 * Workspace Events for Chat spaces: the API client, each space's
 * subscription over its life, CloudEvents turned into log events, and
 * catch-up after a lapse. Import from here.
 */
export {
  createWorkspaceEventsClient,
  SUBSCRIPTION_SCOPES,
  type NewSubscription,
  type Subscription,
  type WorkspaceEventsClient,
  type WorkspaceEventsClientOptions,
} from './client.js';
export {
  renewExpiring,
  renewSubscription,
  SPACE_EVENT_TYPES,
  subscribeSpace,
  targetOf,
  unsubscribeSpace,
  type Subscribed,
  type SubscriptionDeps,
  type SubscriptionSettings,
} from './subscriptions.js';
export { catchUp, lastKnownMessageTime, type CatchUpDeps } from './catch-up.js';
export {
  handleWorkspaceEvent,
  type WorkspaceEventDeps,
  type WorkspaceEventOutcome,
} from './handler.js';
export { logEventsOf, messageCreated, type WorkspaceEvent } from './translate.js';
export { CE_TYPE_ATTRIBUTE, workspaceEventOf } from './pubsub-message.js';
export { handleWatchSpace, watchedEventId, type Watched } from './watch.js';
