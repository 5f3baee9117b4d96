/**
 * The local stand-in of the Google Workspace Events API for Chat spaces.
 * Subscriptions are created, renewed, reactivated and deleted over REST
 * (`/v1/subscriptions`, `/v1/operations`); while one is active, what the
 * Chat API stand-in records in its space is published as CloudEvents (in
 * Pub/Sub attributes, binary mode) through the injected `publish`, which the
 * local stack wires to the Pub/Sub emulator. Lifecycle events (expiration
 * reminders 12 h and 1 h ahead, expiry, suspension) go to the same topic.
 */
import type { IncomingMessage } from 'node:http';
import { systemClock, type Clock } from '../../shared/clock.js';
import type { ChatApiStandIn, ChatChange } from './chat-api.js';
import {
  bearerToken,
  cachedTokenInfo,
  callerOf,
  tokenInfoFromUrl,
  type TokenInfoLookup,
} from './chat-api/caller.js';
import {
  googleError,
  HttpError,
  listen,
  readJson,
  requestUrl,
  sendJson,
  type StandIn,
} from './standin.js';
import { chatEventOf, LIFECYCLE, type PubsubMessage } from './workspace-events/events.js';
import * as methods from './workspace-events/methods.js';
import {
  subscriptionJson,
  SubscriptionStore,
  type Publish,
  type SubscriptionRecord,
} from './workspace-events/subscriptions.js';

export { CHAT_EVENT_TYPES, LIFECYCLE, type PubsubMessage } from './workspace-events/events.js';
export type { Publish } from './workspace-events/subscriptions.js';

/** Options of `startWorkspaceEvents`. */
export interface WorkspaceEventsOptions {
  /** The Chat API stand-in whose spaces are watched. */
  readonly chat: ChatApiStandIn;
  /** Delivers to a topic `projects/P/topics/T`; a rejection suspends the subscription. */
  readonly publish: Publish;
  /** Token lookup; default `GET {oauthUrl}/tokeninfo`. One of the two is required. */
  readonly tokenInfo?: TokenInfoLookup;
  readonly oauthUrl?: string;
  /** Drives expiry and reminders (checked on every request and Chat change, and by `sweep`). */
  readonly clock?: Clock;
  readonly port?: number;
}

/** One delivery, as recorded. */
export interface Delivery {
  readonly topic: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly data: unknown;
}

/** The running stand-in and its controls. */
export interface WorkspaceEventsStandIn extends StandIn {
  /** Every live subscription, in wire form. */
  subscriptions(): ReturnType<typeof subscriptionJson>[];
  /** Publishes `expired` and deletes the subscription. */
  expireNow(id: string): void;
  /** Publishes an `expirationReminder`. */
  remindExpiration(id: string): void;
  /** Suspends (default reason `USER_SCOPE_REVOKED`) and publishes `suspended`. */
  suspend(id: string, reason?: string): void;
  /** Sends due reminders and expires subscriptions past their time. */
  sweep(): void;
  /** Resolves when every delivery started so far has been published (or failed). */
  flush(): Promise<void>;
  /** Every delivery attempted, oldest first. */
  deliveries(): Delivery[];
}

/** Starts the Workspace Events stand-in on 127.0.0.1. */
export async function startWorkspaceEvents(
  options: WorkspaceEventsOptions,
): Promise<WorkspaceEventsStandIn> {
  const lookup =
    options.tokenInfo ?? (options.oauthUrl ? tokenInfoFromUrl(options.oauthUrl) : undefined);
  if (!lookup) throw new Error('startWorkspaceEvents needs tokenInfo or oauthUrl.');
  const tokenInfo = cachedTokenInfo(lookup);
  const clock = options.clock ?? systemClock;
  const deliveries: Delivery[] = [];
  const publish: Publish = (topic, message: PubsubMessage) => {
    deliveries.push({
      topic,
      attributes: message.attributes,
      data: JSON.parse(message.data.toString()),
    });
    return options.publish(topic, message);
  };
  const store = new SubscriptionStore(publish, clock);
  const operations = new Map<string, unknown>();
  const { chat } = options;

  const onChange = (change: ChatChange) => {
    const event = chatEventOf(change, clock.now().toISOString());
    if (event) store.deliver(change.space, event);
  };
  for (const kind of ['message', 'membership', 'reaction'] as const) chat.events.on(kind, onChange);

  const route = async (req: IncomingMessage): Promise<unknown> => {
    store.sweep();
    const url = requestUrl(req);
    const token = bearerToken(req.headers.authorization);
    const info = token === undefined ? undefined : await tokenInfo(token);
    if (!info)
      throw new HttpError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials.',
      );
    const ctx: methods.MethodContext = {
      store,
      operations,
      caller: callerOf(info, chat.appUser),
      isMember: (space, user) => chat.members(space).some((m) => m.member?.name === user),
      spaceExists: (space) => chat.space(space) !== undefined,
      now: clock.now().getTime(),
    };
    const body = ['POST', 'PATCH'].includes(req.method ?? '') ? await readJson(req) : {};
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    const path = url.pathname;
    const sub = /^\/v1\/subscriptions\/([^/:]+)(:reactivate)?$/.exec(path);
    const op = /^\/v1\/(operations\/[^/]+)$/.exec(path);

    if (path === '/v1/subscriptions' && req.method === 'POST')
      return methods.createSubscription(ctx, fields);
    if (path === '/v1/subscriptions' && req.method === 'GET') {
      return methods.listSubscriptions(ctx, url.searchParams.get('filter'));
    }
    if (sub?.[1] && sub[2] && req.method === 'POST')
      return methods.reactivateSubscription(ctx, sub[1]);
    if (sub?.[1] && !sub[2]) {
      if (req.method === 'GET') return subscriptionJson(methods.ownSubscription(ctx, sub[1]));
      if (req.method === 'PATCH') {
        const mask = url.searchParams.get('updateMask') ?? url.searchParams.get('update_mask');
        return methods.patchSubscription(ctx, sub[1], fields, mask);
      }
      if (req.method === 'DELETE') return methods.deleteSubscription(ctx, sub[1]);
    }
    if (op?.[1] && req.method === 'GET' && operations.has(op[1])) return operations.get(op[1]);
    throw new HttpError(404, 'NOT_FOUND', 'Not found.');
  };

  const server = await listen(async (req, res) => {
    try {
      sendJson(res, 200, await route(req));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      googleError(res, error.status, error.statusText, error.message);
    }
  }, options.port ?? 0);

  const find = (id: string): SubscriptionRecord => {
    const found = store.subscriptions.get(id.replace(/^subscriptions\//, ''));
    if (!found) throw new Error(`Unknown subscription ${id}.`);
    return found;
  };
  return {
    url: server.url,
    close: async () => {
      for (const kind of ['message', 'membership', 'reaction'] as const)
        chat.events.off(kind, onChange);
      await store.flush();
      await server.close();
    },
    subscriptions: () => [...store.subscriptions.values()].map(subscriptionJson),
    expireNow: (id) => store.expire(find(id)),
    remindExpiration: (id) => store.lifecycle(find(id), LIFECYCLE.expirationReminder),
    suspend: (id, reason = 'USER_SCOPE_REVOKED') => store.suspend(find(id), reason),
    sweep: () => store.sweep(),
    flush: () => store.flush(),
    deliveries: () => [...deliveries],
  };
}
