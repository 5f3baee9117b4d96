/**
 * A space's Workspace Events subscription over its life: made when the app
 * joins (an existing one, ALREADY_EXISTS, is adopted and renewed), renewed
 * before it expires (by the tick's sweep and on its expiration reminder),
 * and deleted when the app leaves. Each change is recorded in the space's
 * stream as an `EventsSubscription*` event.
 * https://developers.google.com/workspace/events/guides/create-subscription
 */
import type { Clock } from '../clock.js';
import { SpacelogError, toSpacelogError } from '../errors.js';
import { newEvent, spaceStream, type EventStore, type NewEvent } from '../eventlog/index.js';
import type { Logger } from '../log.js';
import type { Subscription, WorkspaceEventsClient } from './client.js';

/** The Chat event types a space is subscribed to. */
export const SPACE_EVENT_TYPES = [
  'google.workspace.chat.message.v1.created',
  'google.workspace.chat.message.v1.updated',
  'google.workspace.chat.message.v1.deleted',
  'google.workspace.chat.membership.v1.created',
  'google.workspace.chat.membership.v1.deleted',
  'google.workspace.chat.reaction.v1.created',
  'google.workspace.chat.reaction.v1.deleted',
] as const;

/** Settings of subscriptions. */
export interface SubscriptionSettings {
  /** `CHAT_APP_SCOPES_APPROVED`: without approval the app cannot subscribe. */
  readonly enabled: boolean;
  /** `projects/P/topics/WORKSPACE_EVENTS_TOPIC`. */
  readonly pubsubTopic: string;
  /** `WORKSPACE_EVENTS_TTL_SECONDS`: lifetime asked for at creation and renewal. */
  readonly ttlSeconds: number;
  /** `WORKSPACE_EVENTS_RENEW_WITHIN_MINUTES`: the sweep renews what expires sooner. */
  readonly renewWithinMinutes: number;
}

/** What subscription management needs. */
export interface SubscriptionDeps {
  readonly client: WorkspaceEventsClient;
  readonly events: EventStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly subscriptions: SubscriptionSettings;
}

/** What {@link subscribeSpace} did. */
export type Subscribed =
  | { readonly status: 'created' | 'adopted'; readonly subscription: Subscription }
  | { readonly status: 'disabled' };

const APP = { kind: 'app' } as const;

/** `spaces/ID` → `//chat.googleapis.com/spaces/ID`. */
export const targetOf = (space: string): string => `//chat.googleapis.com/${space}`;

/**
 * Subscribes the app to a space's events, when the app joins it or after
 * expiry. `eventId`, when given, is the id the `EventsSubscriptionCreated`
 * (or, for an adopted one, `EventsSubscriptionRenewed`) is recorded under,
 * so the caller can tell later that this subscribe was done.
 */
export async function subscribeSpace(
  deps: SubscriptionDeps,
  space: string,
  eventId?: string,
): Promise<Subscribed> {
  if (!deps.subscriptions.enabled) {
    deps.logger.info('Space not subscribed: app scopes are not approved.', { space });
    return { status: 'disabled' };
  }
  try {
    const subscription = await deps.client.create({
      targetResource: targetOf(space),
      eventTypes: SPACE_EVENT_TYPES,
      pubsubTopic: deps.subscriptions.pubsubTopic,
      ttlSeconds: deps.subscriptions.ttlSeconds,
      includeResource: true,
    });
    await record(deps, 'EventsSubscriptionCreated', space, subscription, 'created', eventId);
    return { status: 'created', subscription };
  } catch (err) {
    if (!(err instanceof SpacelogError && err.code === 'conflict')) throw err;
  }

  const [existing] = await deps.client.list({
    eventType: SPACE_EVENT_TYPES[0],
    targetResource: targetOf(space),
  });
  if (existing === undefined) {
    throw new SpacelogError('unavailable', 'Subscription exists but could not be found.', {
      space,
    });
  }
  const active =
    existing.state === 'SUSPENDED' ? await deps.client.reactivate(existing.name) : existing;
  return { status: 'adopted', subscription: await renewSubscription(deps, active, eventId) };
}

/** Renews one subscription for another full lifetime and records it (under `eventId` when given). */
export async function renewSubscription(
  deps: SubscriptionDeps,
  subscription: Subscription,
  eventId?: string,
): Promise<Subscription> {
  const renewed = await deps.client.renew(subscription.name, deps.subscriptions.ttlSeconds);
  const space = spaceOfTarget(renewed.targetResource);
  if (space !== undefined)
    await record(deps, 'EventsSubscriptionRenewed', space, renewed, 'renewed', eventId);
  return renewed;
}

/** Deletes the app's subscriptions on a space (the app left it). */
export async function unsubscribeSpace(deps: SubscriptionDeps, space: string): Promise<number> {
  if (!deps.subscriptions.enabled) return 0;
  const found = await deps.client.list({
    eventType: SPACE_EVENT_TYPES[0],
    targetResource: targetOf(space),
  });
  for (const subscription of found) {
    await deps.client.remove(subscription.name);
    await deps.events.append(lapsed(space, subscription.name, 'app-removed', deps.clock.now()));
  }
  return found.length;
}

/**
 * The tick's sweep: renews every subscription of the app that expires within
 * the renewal window. Failures are logged and counted, one subscription at a
 * time, so one failing renewal does not stop the others.
 */
export async function renewExpiring(
  deps: SubscriptionDeps,
): Promise<{ readonly renewed: number; readonly failed: number }> {
  if (!deps.subscriptions.enabled) return { renewed: 0, failed: 0 };
  const horizon = deps.clock.now().getTime() + deps.subscriptions.renewWithinMinutes * 60_000;
  const all = await deps.client.list({ eventType: SPACE_EVENT_TYPES[0] });
  let renewed = 0;
  let failed = 0;
  for (const subscription of all) {
    const expires = Date.parse(subscription.expireTime ?? '');
    if (subscription.state !== 'ACTIVE' || !(expires <= horizon)) continue;
    try {
      await renewSubscription(deps, subscription);
      renewed += 1;
    } catch (err) {
      failed += 1;
      deps.logger.warn('Subscription not renewed.', {
        subscription: subscription.name,
        code: toSpacelogError(err).code,
      });
    }
  }
  return { renewed, failed };
}

/** The `EventsSubscriptionLapsed` event of a subscription that stopped delivering. */
export function lapsed(
  space: string,
  name: string,
  reason: string,
  at: Date,
  key?: string,
): NewEvent {
  return newEvent('EventsSubscriptionLapsed', {
    id: `wsub:${name}:lapsed:${key ?? reason}`,
    stream: spaceStream(space),
    occurredAt: at,
    causedBy: APP,
    payload: { subscriptionName: name, reason: reason.slice(0, 128) },
  });
}

/** `//chat.googleapis.com/spaces/ID` → `spaces/ID`. */
export function spaceOfTarget(target: string | undefined): string | undefined {
  return /^\/\/chat\.googleapis\.com\/(spaces\/[\w-]+)$/.exec(target ?? '')?.[1];
}

async function record(
  deps: SubscriptionDeps,
  type: 'EventsSubscriptionCreated' | 'EventsSubscriptionRenewed',
  space: string,
  subscription: Subscription,
  verb: string,
  eventId: string | undefined,
): Promise<void> {
  const now = deps.clock.now();
  const expireTime =
    subscription.expireTime ??
    new Date(now.getTime() + deps.subscriptions.ttlSeconds * 1000).toISOString();
  await deps.events.append(
    newEvent(type, {
      id: eventId ?? `wsub:${subscription.name}:${verb}:${expireTime}`,
      stream: spaceStream(space),
      occurredAt: now,
      causedBy: APP,
      payload: { subscriptionName: subscription.name, expireTime },
    }),
  );
}
