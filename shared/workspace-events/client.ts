/**
 * The Google Workspace Events API client for Chat space subscriptions: plain
 * `fetch` to `WORKSPACE_EVENTS_URL` through the outbound retrying HTTP path,
 * as the app with administrator-approved `chat.app.*` scopes. Changes answer
 * with a long-running operation; the client waits for it (bounded) and
 * returns the subscription.
 * https://developers.google.com/workspace/events/reference/rest/v1/subscriptions
 */
import { SpacelogError } from '../errors.js';
import type { OutboundHttp } from '../outbound/http.js';
import type { TokenSource } from '../outbound/index.js';
import { scopeUrl } from '../outbound/auth-table.js';

/**
 * Scopes of the app's own subscriptions: messages and reactions, memberships.
 * https://developers.google.com/workspace/events/guides/auth
 */
export const SUBSCRIPTION_SCOPES = ['chat.app.messages.readonly', 'chat.app.memberships'] as const;

/** A subscription as the API returns it (the fields Spacelog reads). */
export interface Subscription {
  /** `subscriptions/ID`. */
  readonly name: string;
  readonly targetResource: string;
  readonly eventTypes?: readonly string[];
  readonly state?: 'ACTIVE' | 'SUSPENDED' | 'DELETED' | 'STATE_UNSPECIFIED';
  readonly suspensionReason?: string;
  readonly expireTime?: string;
}

/** What a new subscription asks for. */
export interface NewSubscription {
  /** `//chat.googleapis.com/spaces/ID`. */
  readonly targetResource: string;
  readonly eventTypes: readonly string[];
  /** `projects/P/topics/T`. */
  readonly pubsubTopic: string;
  readonly ttlSeconds: number;
  readonly includeResource: boolean;
}

/** The subscription methods Spacelog calls. */
export interface WorkspaceEventsClient {
  /** Creates one; `conflict` (ALREADY_EXISTS) when the app already has one on the target. */
  create(input: NewSubscription): Promise<Subscription>;
  get(name: string): Promise<Subscription>;
  /**
   * The app's subscriptions with `eventType` among their types, on
   * `targetResource` when given (the API asks for an event type in every filter).
   */
  list(filter: { eventType: string; targetResource?: string }): Promise<readonly Subscription[]>;
  /** Renews: a new lifetime of `ttlSeconds` from now. */
  renew(name: string, ttlSeconds: number): Promise<Subscription>;
  reactivate(name: string): Promise<Subscription>;
  /** Resolves false when it was already gone. */
  remove(name: string): Promise<boolean>;
}

/** What the client is built from. */
export interface WorkspaceEventsClientOptions {
  /** `WORKSPACE_EVENTS_URL`. */
  readonly baseUrl: string;
  readonly http: OutboundHttp;
  readonly tokens: TokenSource;
  /** Waits between polls of an unfinished operation. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Polls of an unfinished operation before giving up (default 10). */
  readonly maxPolls?: number;
}

interface Operation {
  readonly name?: string;
  readonly done?: boolean;
  readonly response?: unknown;
  readonly error?: { readonly code?: number; readonly message?: string };
}

const SUBSCRIPTION = /^subscriptions\/[\w-]+$/;

/** Builds the client. */
export function createWorkspaceEventsClient(
  options: WorkspaceEventsClientOptions,
): WorkspaceEventsClient {
  const base = `${options.baseUrl.replace(/\/$/, '')}/v1/`;
  const auth = { mode: 'app-approved', scopes: SUBSCRIPTION_SCOPES.map(scopeUrl) } as const;

  const call = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<unknown> => {
    const response = await options.http.send({
      call: `workspaceevents.${path.split(/[/?:]/)[0] ?? 'call'}.${method}`,
      method,
      url: base + path,
      ...(body !== undefined && { body }),
      authorize: async (fresh) => ({
        authorization: `Bearer ${await options.tokens.accessToken(auth, { fresh })}`,
      }),
    });
    return response.body;
  };

  const settle = async (first: unknown): Promise<unknown> => {
    let op = first as Operation;
    for (let poll = 0; op.done !== true; poll++) {
      if (poll >= (options.maxPolls ?? 10) || typeof op.name !== 'string') {
        throw new SpacelogError(
          'unavailable',
          'Workspace Events operation did not finish in time.',
        );
      }
      await options.sleep(Math.min(500 * 2 ** poll, 5_000));
      op = (await call('GET', checked(op.name, /^operations\/[\w-]+$/))) as Operation;
    }
    if (op.error !== undefined) {
      throw new SpacelogError('unavailable', 'Workspace Events operation failed.', {
        grpcCode: op.error.code,
      });
    }
    return op.response;
  };

  const subscriptionOf = (value: unknown): Subscription => {
    const sub = value as Partial<Subscription> | undefined;
    if (typeof sub?.name !== 'string' || typeof sub.targetResource !== 'string') {
      throw new SpacelogError('unavailable', 'Workspace Events answered without a subscription.');
    }
    return sub as Subscription;
  };

  return {
    async create(input) {
      const op = await call('POST', 'subscriptions', {
        targetResource: input.targetResource,
        eventTypes: input.eventTypes,
        notificationEndpoint: { pubsubTopic: input.pubsubTopic },
        payloadOptions: { includeResource: input.includeResource },
        ttl: `${input.ttlSeconds}s`,
      });
      return subscriptionOf(await settle(op));
    },

    get: async (name) => subscriptionOf(await call('GET', checked(name, SUBSCRIPTION))),

    async list({ eventType, targetResource }) {
      const filter =
        `event_types:"${eventType}"` +
        (targetResource === undefined ? '' : ` AND target_resource="${targetResource}"`);
      const found: Subscription[] = [];
      let token: string | undefined;
      do {
        const query = new URLSearchParams({ filter, ...(token && { pageToken: token }) });
        const page = (await call('GET', `subscriptions?${query.toString()}`)) as {
          subscriptions?: unknown[];
          nextPageToken?: string;
        };
        found.push(...(page.subscriptions ?? []).map(subscriptionOf));
        token = page.nextPageToken || undefined;
      } while (token !== undefined);
      return found;
    },

    async renew(name, ttlSeconds) {
      const path = `${checked(name, SUBSCRIPTION)}?updateMask=ttl`;
      return subscriptionOf(await settle(await call('PATCH', path, { ttl: `${ttlSeconds}s` })));
    },

    async reactivate(name) {
      const path = `${checked(name, SUBSCRIPTION)}:reactivate`;
      return subscriptionOf(await settle(await call('POST', path, {})));
    },

    async remove(name) {
      try {
        await settle(await call('DELETE', checked(name, SUBSCRIPTION)));
        return true;
      } catch (err) {
        if (err instanceof SpacelogError && err.code === 'not-found') return false;
        throw err;
      }
    },
  };
}

/** Refuses a resource name that could steer the request elsewhere. */
function checked(name: string, shape: RegExp): string {
  if (!shape.test(name)) {
    throw new SpacelogError('invalid-input', 'Not a Workspace Events resource name.', {
      name: name.slice(0, 80),
    });
  }
  return name;
}
