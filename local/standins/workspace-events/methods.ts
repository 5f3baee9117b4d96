/**
 * The Workspace Events API methods on subscriptions and operations:
 * create (one per target per principal), get, list, patch (renew), reactivate,
 * delete, and operations.get. Every change answers with a finished
 * long-running Operation.
 * https://developers.google.com/workspace/events/reference/rest/v1/subscriptions
 */
import type { Caller } from '../chat-api/caller.js';
import { randomId } from '../chat-api/time.js';
import { HttpError } from '../standin.js';
import { scopeUrl } from '../chat-api/scopes.js';
import { CHAT_EVENT_TYPES } from './events.js';
import {
  maxLifetimeMs,
  subscriptionJson,
  type SubscriptionRecord,
  type SubscriptionStore,
} from './subscriptions.js';

const TYPE_PREFIX = 'type.googleapis.com/google.apps.events.subscriptions.v1.';
const fail = (status: number, text: string, message: string): never => {
  throw new HttpError(status, text, message);
};

/** What a method call has to work with. */
export interface MethodContext {
  readonly store: SubscriptionStore;
  readonly operations: Map<string, unknown>;
  readonly caller: Caller;
  /** Whether `user` is a member of the Chat space. */
  readonly isMember: (space: string, user: string) => boolean;
  readonly spaceExists: (space: string) => boolean;
  readonly now: number;
}

function operation(ctx: MethodContext, metadata: string, response: Record<string, unknown>) {
  const op = {
    name: `operations/${randomId(20)}`,
    done: true,
    metadata: { '@type': TYPE_PREFIX + metadata },
    response,
  };
  ctx.operations.set(op.name, op);
  return op;
}

const subscriptionResponse = (sub: SubscriptionRecord) => ({
  '@type': `${TYPE_PREFIX}Subscription`,
  ...subscriptionJson(sub),
});

function checkEventTypes(ctx: MethodContext, types: unknown): string[] {
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string')) {
    return fail(400, 'INVALID_ARGUMENT', 'eventTypes must list one or more event types.');
  }
  const kind = ctx.caller.kind === 'app' ? 'app' : 'user';
  for (const type of types) {
    const allowed = CHAT_EVENT_TYPES[type]?.[kind];
    if (!allowed) fail(400, 'INVALID_ARGUMENT', `Unsupported event type: ${type.slice(0, 100)}`);
    if (!allowed?.some((s) => ctx.caller.scopes.has(s))) {
      fail(
        403,
        'PERMISSION_DENIED',
        `Request had insufficient authentication scopes. ${type} needs one of: ` +
          (allowed ?? []).map(scopeUrl).join(', '),
      );
    }
  }
  return types;
}

/** The lifetime asked for by `ttl` (`"3600s"`) or `expireTime`; the maximum when neither. */
function lifetimeOf(ctx: MethodContext, body: Record<string, unknown>, includeResource: boolean) {
  const max = maxLifetimeMs(includeResource);
  let ms = max;
  if (typeof body.ttl === 'string') {
    const match = /^(\d+(?:\.\d+)?)s$/.exec(body.ttl);
    if (!match) fail(400, 'INVALID_ARGUMENT', 'ttl must be a duration such as "3600s".');
    const asked = Number(match?.[1]) * 1000;
    ms = asked === 0 ? max : asked;
  } else if (typeof body.expireTime === 'string') {
    const at = Date.parse(body.expireTime);
    if (Number.isNaN(at) || at <= ctx.now)
      fail(400, 'INVALID_ARGUMENT', 'expireTime must be in the future.');
    ms = at - ctx.now;
  }
  if (ms > max) fail(400, 'INVALID_ARGUMENT', `The subscription may last at most ${max / 1000}s.`);
  return ms;
}

/** `subscriptions.create`. */
export function createSubscription(ctx: MethodContext, body: Record<string, unknown>) {
  const target = typeof body.targetResource === 'string' ? body.targetResource : '';
  const space = /^\/\/chat\.googleapis\.com\/(spaces\/[^/]+)$/.exec(target)?.[1];
  if (!space)
    fail(400, 'INVALID_ARGUMENT', 'targetResource must be //chat.googleapis.com/spaces/….');
  const eventTypes = checkEventTypes(ctx, body.eventTypes);
  if (!ctx.spaceExists(space ?? '')) fail(404, 'NOT_FOUND', 'The target space does not exist.');
  if (!ctx.isMember(space ?? '', ctx.caller.user)) {
    fail(403, 'PERMISSION_DENIED', 'The caller is not a member of the target space.');
  }
  const endpoint = body.notificationEndpoint as { pubsubTopic?: unknown } | undefined;
  const topic = typeof endpoint?.pubsubTopic === 'string' ? endpoint.pubsubTopic : '';
  if (!/^projects\/[^/]+\/topics\/[^/]+$/.test(topic)) {
    fail(400, 'INVALID_ARGUMENT', 'notificationEndpoint.pubsubTopic must be projects/P/topics/T.');
  }
  const options = body.payloadOptions as { includeResource?: unknown } | undefined;
  const includeResource = options?.includeResource === true;
  const lifetime = lifetimeOf(ctx, body, includeResource);
  const duplicate = [...ctx.store.subscriptions.values()].some(
    (s) => s.targetResource === target && s.principal === ctx.caller.user,
  );
  if (duplicate)
    fail(409, 'ALREADY_EXISTS', 'A subscription for this target and principal exists.');

  const sub = ctx.store.add(
    {
      targetResource: target,
      space: space ?? '',
      eventTypes,
      includeResource,
      pubsubTopic: topic,
      principal: ctx.caller.user,
      kind: ctx.caller.kind === 'app' ? 'app' : 'user',
      ...(ctx.caller.kind === 'app' && ctx.caller.email
        ? { serviceAccount: ctx.caller.email }
        : {}),
    },
    lifetime,
  );
  return operation(ctx, 'CreateSubscriptionMetadata', subscriptionResponse(sub));
}

/** The caller's subscription by id (404 for anyone else's). */
export function ownSubscription(ctx: MethodContext, id: string): SubscriptionRecord {
  const sub = ctx.store.subscriptions.get(id);
  if (!sub || sub.principal !== ctx.caller.user)
    return fail(404, 'NOT_FOUND', 'Subscription not found.');
  return sub;
}

/** `subscriptions.list`, with an optional `target_resource="…"` / `event_types:"…"` filter. */
export function listSubscriptions(ctx: MethodContext, filter: string | null) {
  const targets = [...(filter ?? '').matchAll(/target_resource\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  const types = [...(filter ?? '').matchAll(/event_types\s*:\s*"([^"]+)"/g)].map((m) => m[1]);
  const subscriptions = [...ctx.store.subscriptions.values()].filter(
    (s) =>
      s.principal === ctx.caller.user &&
      targets.every((t) => s.targetResource === t) &&
      types.every((t) => t !== undefined && s.eventTypes.includes(t)),
  );
  return { subscriptions: subscriptions.map(subscriptionJson) };
}

const MASK_FIELDS: Readonly<Record<string, string>> = {
  ttl: 'ttl',
  expire_time: 'expireTime',
  expireTime: 'expireTime',
  event_types: 'eventTypes',
  eventTypes: 'eventTypes',
  payload_options: 'payloadOptions',
  payloadOptions: 'payloadOptions',
};

/** `subscriptions.patch`: renew (`ttl`, `expire_time`), event types, payload options. */
export function patchSubscription(
  ctx: MethodContext,
  id: string,
  body: Record<string, unknown>,
  updateMask: string | null,
) {
  const sub = ownSubscription(ctx, id);
  const fields = updateMask
    ? updateMask
        .split(',')
        .map((f) => MASK_FIELDS[f.trim()] ?? fail(400, 'INVALID_ARGUMENT', `Cannot update ${f}.`))
    : Object.keys(body).filter((k) => Object.values(MASK_FIELDS).includes(k));
  if (fields.includes('eventTypes')) sub.eventTypes = checkEventTypes(ctx, body.eventTypes);
  if (fields.includes('payloadOptions')) {
    const options = body.payloadOptions as { includeResource?: unknown } | undefined;
    sub.includeResource = options?.includeResource === true;
  }
  if (fields.includes('ttl') || fields.includes('expireTime')) {
    const lifetime = lifetimeOf(
      ctx,
      { ttl: fields.includes('ttl') ? (body.ttl ?? '0s') : undefined, expireTime: body.expireTime },
      sub.includeResource,
    );
    ctx.store.renew(sub, lifetime);
  } else {
    sub.expireTime = Math.min(sub.expireTime, ctx.now + maxLifetimeMs(sub.includeResource));
    sub.updateTime = ctx.now;
  }
  return operation(ctx, 'UpdateSubscriptionMetadata', subscriptionResponse(sub));
}

/** `subscriptions.reactivate`: a suspended subscription becomes active again. */
export function reactivateSubscription(ctx: MethodContext, id: string) {
  const sub = ownSubscription(ctx, id);
  if (sub.state === 'ACTIVE') fail(400, 'FAILED_PRECONDITION', 'The subscription is active.');
  sub.state = 'ACTIVE';
  delete sub.suspensionReason;
  sub.updateTime = ctx.now;
  return operation(ctx, 'ReactivateSubscriptionMetadata', subscriptionResponse(sub));
}

/** `subscriptions.delete`. */
export function deleteSubscription(ctx: MethodContext, id: string) {
  const sub = ownSubscription(ctx, id);
  ctx.store.subscriptions.delete(sub.id);
  return operation(ctx, 'DeleteSubscriptionMetadata', {
    '@type': 'type.googleapis.com/google.protobuf.Empty',
  });
}
