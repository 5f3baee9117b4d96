/**
 * For every Chat API method Spacelog calls, the scopes that allow it under
 * app authentication (the service account; `chat.app.*` scopes need an
 * administrator's approval) and under user authentication. Each list is
 * "any one of", narrowest first, as the method reference pages give them
 * (import-mode and administrator-access scopes left out: Spacelog uses neither).
 * https://developers.google.com/workspace/chat/api/reference/rest
 */
import { SCOPE, scopeInfo, type ScopeId } from './catalogue.js';

/** Which scopes allow one method, each list being any one of. */
export interface MethodScopes {
  /** App authentication; empty when the app cannot call it. */
  readonly app: readonly ScopeId[];
  /** User authentication, narrowest first; empty when only the app can call it. */
  readonly user: readonly ScopeId[];
}

const S = SCOPE;

/**
 * The Chat API methods Spacelog calls, and the scopes that allow each. Names
 * as the outbound client's: `spaces.messages.create` is `messages.create`.
 */
export const CHAT_METHODS = {
  'spaces.get': { app: [S.bot, S.appSpaces], user: [S.spacesReadonly, S.spaces] },
  'spaces.list': { app: [S.bot], user: [S.spacesReadonly, S.spaces] },
  'spaces.findDirectMessage': { app: [S.bot], user: [S.spacesReadonly, S.spaces] },
  'spaces.create': { app: [S.appSpacesCreate, S.appSpaces], user: [S.spacesCreate, S.spaces] },
  'spaces.setup': { app: [], user: [S.spacesCreate, S.spaces] },
  // A human member (or a Google group); adding the calling app itself is the entry below.
  'members.create': { app: [S.appMemberships], user: [S.memberships] },
  'members.createApp': { app: [], user: [S.membershipsApp, S.memberships] },
  'members.list': { app: [S.bot, S.appMemberships], user: [S.membershipsReadonly, S.memberships] },
  'messages.create': { app: [S.bot], user: [S.messagesCreate, S.messages] },
  'messages.get': {
    app: [S.bot, S.appMessagesReadonly],
    user: [S.messagesReadonly, S.messages],
  },
  'messages.list': { app: [S.appMessagesReadonly], user: [S.messagesReadonly, S.messages] },
  'messages.patch': { app: [S.bot], user: [S.messages] },
  'messages.delete': { app: [S.bot], user: [S.messages] },
  'reactions.create': {
    app: [],
    user: [S.messagesReactionsCreate, S.messagesReactions, S.messages],
  },
} as const satisfies Record<string, MethodScopes>;

/** A Chat API method Spacelog calls. */
export type ChatMethod = keyof typeof CHAT_METHODS;

/** The scopes that allow `method` under user authentication, narrowest first. */
export function userScopesFor(method: ChatMethod): readonly ScopeId[] {
  return CHAT_METHODS[method].user;
}

/**
 * The scopes that allow `method` under app authentication. Without
 * administrator approval the `chat.app.*` scopes are left out, so an empty
 * list means the app cannot call it on its own.
 */
export function appScopesFor(method: ChatMethod, approved: boolean): readonly ScopeId[] {
  const all: readonly ScopeId[] = CHAT_METHODS[method].app;
  return approved ? all : all.filter((s) => scopeInfo(s)?.kind !== 'app-approved');
}

/** True when one of `granted` allows `method` as the user. */
export function userMayCall(method: ChatMethod, granted: Iterable<string>): boolean {
  const have = new Set(granted);
  return userScopesFor(method).some((s) => have.has(s));
}

/** One method's scopes in the outbound client's form: short names, the narrowest of each kind. */
export interface MethodAuthShort {
  readonly app?: readonly string[];
  readonly appApproved?: readonly string[];
  readonly user?: readonly string[];
}

const short = (s: ScopeId) => s.replace('https://www.googleapis.com/auth/', '');

/**
 * The method table in the outbound client's form (`CHAT_METHOD_AUTH`),
 * derived from this one so there is one source of truth: per kind, the
 * narrowest scope that allows the method.
 */
export function methodAuthTable(): Record<ChatMethod, MethodAuthShort> {
  const out = {} as Record<ChatMethod, MethodAuthShort>;
  for (const method of Object.keys(CHAT_METHODS) as ChatMethod[]) {
    const app: readonly ScopeId[] = CHAT_METHODS[method].app;
    const plain = app.filter((s) => scopeInfo(s)?.kind === 'app');
    const approved = app.filter((s) => scopeInfo(s)?.kind === 'app-approved');
    const user: readonly ScopeId[] = CHAT_METHODS[method].user;
    out[method] = {
      ...(plain[0] !== undefined && { app: [short(plain[0])] }),
      ...(approved[0] !== undefined && { appApproved: [short(approved[0])] }),
      ...(user[0] !== undefined && { user: [short(user[0])] }),
    };
  }
  return out;
}
