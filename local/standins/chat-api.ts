/**
 * The local stand-in of the Google Chat REST API (v1): spaces, members,
 * messages and reactions, checked against bearer tokens from the OAuth
 * stand-in and the scopes each method needs under app and user auth
 * (`CHAT_METHOD_SCOPES`), with Chat's quotas, incoming webhooks, fault
 * injection, a record of every call, and seeding controls for tests and the
 * local page that plays Chat. The pieces live in `./chat-api/`.
 */
import type { EventEmitter } from 'node:events';
import type { chat_v1 } from '@googleapis/chat';
import { systemClock, type Clock } from '../../shared/clock.js';
import { serveAdmin } from './chat-api/admin.js';
import { cachedTokenInfo, tokenInfoFromUrl, type TokenInfoLookup } from './chat-api/caller.js';
import { Faults, type InjectedFault, type SlowFault } from './chat-api/faults.js';
import { DEFAULT_CHAT_LIMITS, RateLimiter, type ChatLimits } from './chat-api/limits.js';
import { serveChatApi, type CallRecord, type Webhook } from './chat-api/pipeline.js';
import { membershipJson, messageJson, spaceJson } from './chat-api/records.js';
import * as seed from './chat-api/seed.js';
import { ChatState } from './chat-api/state.js';
import { randomId } from './chat-api/time.js';
import { listen, requestUrl, type StandIn } from './standin.js';

export { CHAT_METHOD_SCOPES, scopeUrl, shortScope, type ChatMethod } from './chat-api/scopes.js';
export { DEFAULT_CHAT_LIMITS, type ChatLimits } from './chat-api/limits.js';
export { MAX_MESSAGE_BYTES } from './chat-api/message-create.js';
export type { CallRecord } from './chat-api/pipeline.js';
export type { ChatChange } from './chat-api/state.js';
export type { InjectedFault, SlowFault } from './chat-api/faults.js';
export type { SeedSpace } from './chat-api/seed.js';
export type { TokenInfo, TokenInfoLookup } from './chat-api/caller.js';

/** Options of `startChatApi`. */
export interface ChatApiOptions {
  /** Looks up bearer tokens. Default: `GET {oauthUrl}/tokeninfo`. One of the two is required. */
  readonly tokenInfo?: TokenInfoLookup;
  readonly oauthUrl?: string;
  /** The app's user name, `users/app` by default. */
  readonly appUser?: string;
  /** Quotas a minute; each defaults to Chat's. */
  readonly limits?: Partial<ChatLimits>;
  /** Drives createTime and the quota windows. */
  readonly clock?: Clock;
  /** How long a token lookup is reused, in ms (default 10 s). */
  readonly tokenCacheMs?: number;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
}

/** A running Chat API stand-in with its controls. */
export interface ChatApiStandIn extends StandIn {
  readonly appUser: string;
  /** Emits `message`, `membership`, `space` and `reaction`, each with a `ChatChange`. */
  readonly events: EventEmitter;
  /** Every call so far, oldest first (no tokens, no webhook keys). */
  calls(): CallRecord[];
  clearCalls(): void;
  /** Fails the next `count` matching calls; see `InjectedFault`. */
  inject(fault: InjectedFault): void;
  /** Delays the next `count` matching calls. */
  slow(fault: SlowFault): void;
  clearFaults(): void;
  addUser(user: { name: string; displayName?: string; email?: string }): void;
  /** Creates a space with members (the app too, unless `appMember: false`). */
  addSpace(space: seed.SeedSpace): chat_v1.Schema$Space;
  setAppMember(space: string, member: boolean): void;
  space(name: string): chat_v1.Schema$Space | undefined;
  spaces(): chat_v1.Schema$Space[];
  members(space: string): chat_v1.Schema$Membership[];
  /** Every message of a space, from people, the app and webhooks, deleted ones included. */
  messages(space: string): chat_v1.Schema$Message[];
  /** Records a person's message; `thread` names a thread to reply in. */
  postHumanMessage(
    space: string,
    user: string,
    text: string,
    thread?: string,
  ): chat_v1.Schema$Message;
  /** Registers an incoming webhook for a space and returns its full URL (a secret). */
  registerWebhook(space: string): string;
}

/** Starts the Chat API stand-in on 127.0.0.1. */
export async function startChatApi(options: ChatApiOptions): Promise<ChatApiStandIn> {
  const lookup =
    options.tokenInfo ?? (options.oauthUrl ? tokenInfoFromUrl(options.oauthUrl) : undefined);
  if (!lookup) throw new Error('startChatApi needs tokenInfo or oauthUrl to check tokens.');
  const clock = options.clock ?? systemClock;
  const state = new ChatState(options.appUser ?? 'users/app', clock);
  const faults = new Faults();
  const webhooks = new Map<string, Webhook>();
  const calls: CallRecord[] = [];
  const deps = {
    state,
    tokenInfo: cachedTokenInfo(lookup, options.tokenCacheMs),
    limiter: new RateLimiter({ ...DEFAULT_CHAT_LIMITS, ...options.limits }, clock),
    faults,
    webhooks,
    calls,
  };

  const server = await listen(async (req, res) => {
    const path = requestUrl(req).pathname;
    if (path.startsWith('/_admin/') && (await serveAdmin(state, req, res, path))) return;
    await serveChatApi(deps, req, res);
  }, options.port ?? 0);

  const known = (space: string) => {
    if (!state.spaces.has(space)) throw new Error(`Unknown space ${space}.`);
    return space;
  };
  return {
    url: server.url,
    close: () => server.close(),
    appUser: state.appUser,
    events: state.events,
    calls: () => [...calls],
    clearCalls: () => void calls.splice(0),
    inject: (fault) => faults.inject(fault),
    slow: (fault) => faults.slow(fault),
    clearFaults: () => faults.clear(),
    addUser: (user) => void seed.addUser(state, user),
    addSpace: (space) => spaceJson(seed.seedSpace(state, space)),
    setAppMember: (space, member) => seed.setAppMember(state, space, member),
    space: (name) => {
      const record = state.spaces.get(name);
      return record && spaceJson(record);
    },
    spaces: () => [...state.spaces.values()].map(spaceJson),
    members: (space) =>
      [...state.rosterOf(known(space)).values()].map((m) => membershipJson(m, state.user)),
    messages: (space) =>
      (state.messages.get(known(space)) ?? []).map((m) => messageJson(m, state.user)),
    postHumanMessage: (space, user, text, thread) =>
      messageJson(seed.postHumanMessage(state, space, user, text, thread), state.user),
    registerWebhook: (space) => {
      known(space);
      const hook = {
        key: randomId(39),
        token: randomId(43),
        sender: `users/webhook-${randomId(8)}`,
      };
      state.users.set(hook.sender, {
        name: hook.sender,
        type: 'BOT',
        displayName: 'Incoming webhook',
      });
      webhooks.set(space, hook);
      const query = new URLSearchParams({ key: hook.key, token: hook.token });
      return `${server.url}/v1/${space}/messages?${query.toString()}`;
    },
  };
}
