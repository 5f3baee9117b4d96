/**
 * Which credential each Chat API method accepts, in one table, and the
 * choice of credential for one call. Three kinds:
 * - app auth: the service account's own token with `chat.bot`;
 * - app auth with administrator approval: its own token with a `chat.app.*`
 *   scope, usable once an administrator approved them (`CHAT_APP_SCOPES_APPROVED`);
 * - user auth: a user's token, either through domain-wide delegation (the
 *   service account acting as `subject`) or from the user's own sign-in.
 *   `chat.bot` is never asked for on behalf of a user.
 * Scopes from each method's reference page under
 * https://developers.google.com/workspace/chat/api/reference/rest
 */
import { SpacelogError } from '../errors.js';

/** Every Chat API method the client calls, as the REST reference names them. */
export type ChatMethod =
  | 'messages.create'
  | 'messages.get'
  | 'messages.list'
  | 'messages.patch'
  | 'messages.delete'
  | 'spaces.get'
  | 'spaces.list'
  | 'spaces.create'
  | 'spaces.setup'
  | 'spaces.findDirectMessage'
  | 'members.create'
  /** `members.create` adding the calling app itself, which a user may allow with a narrower scope. */
  | 'members.createApp'
  | 'members.list'
  | 'reactions.create';

/** The scopes (short names) one method asks for under each kind of credential. */
export interface MethodAuth {
  /** App auth (`chat.bot`); absent when the method does not accept it. */
  readonly app?: readonly string[];
  /** App auth with administrator approval (`chat.app.*`). */
  readonly appApproved?: readonly string[];
  /** User auth, delegated or signed in. */
  readonly user?: readonly string[];
}

/** The per-method table; one narrow scope per kind. */
export const CHAT_METHOD_AUTH: Readonly<Record<ChatMethod, MethodAuth>> = {
  'messages.create': { app: ['chat.bot'], user: ['chat.messages.create'] },
  'messages.get': {
    app: ['chat.bot'],
    appApproved: ['chat.app.messages.readonly'],
    user: ['chat.messages.readonly'],
  },
  'messages.list': {
    appApproved: ['chat.app.messages.readonly'],
    user: ['chat.messages.readonly'],
  },
  'messages.patch': { app: ['chat.bot'], user: ['chat.messages'] },
  'messages.delete': { app: ['chat.bot'], user: ['chat.messages'] },
  'spaces.get': {
    app: ['chat.bot'],
    appApproved: ['chat.app.spaces'],
    user: ['chat.spaces.readonly'],
  },
  'spaces.list': { app: ['chat.bot'], user: ['chat.spaces.readonly'] },
  'spaces.create': { appApproved: ['chat.app.spaces.create'], user: ['chat.spaces.create'] },
  'spaces.setup': { user: ['chat.spaces.create'] },
  'spaces.findDirectMessage': { app: ['chat.bot'], user: ['chat.spaces.readonly'] },
  'members.create': { appApproved: ['chat.app.memberships'], user: ['chat.memberships'] },
  'members.createApp': { user: ['chat.memberships.app'] },
  'members.list': {
    app: ['chat.bot'],
    appApproved: ['chat.app.memberships'],
    user: ['chat.memberships.readonly'],
  },
  'reactions.create': { user: ['chat.messages.reactions.create'] },
};

/** Who a call acts as. */
export type Principal =
  | { readonly kind: 'app' }
  /** The service account impersonating `subject` (an email) through domain-wide delegation. */
  | { readonly kind: 'delegated'; readonly subject: string }
  /** A signed-in Chat user (`users/ID` or its numeric id), through {@link UserTokens}. */
  | { readonly kind: 'user'; readonly userId: string };

/** The app itself. */
export const AS_APP: Principal = { kind: 'app' };
/** A user impersonated through domain-wide delegation. */
export const asDelegated = (subject: string): Principal => ({ kind: 'delegated', subject });
/** A signed-in user. */
export const asUser = (userId: string): Principal => ({ kind: 'user', userId });

/** The credential one call uses: its kind and the full scope URLs it asks for. */
export type ResolvedAuth =
  | { readonly mode: 'app' | 'app-approved'; readonly scopes: readonly string[] }
  | { readonly mode: 'delegated'; readonly scopes: readonly string[]; readonly subject: string }
  | { readonly mode: 'user'; readonly scopes: readonly string[]; readonly userId: string };

/** `chat.bot` → `https://www.googleapis.com/auth/chat.bot`. */
export const scopeUrl = (scope: string): string => `https://www.googleapis.com/auth/${scope}`;

/** The app's own scope, never sent with a delegated subject. */
export const CHAT_BOT_SCOPE = scopeUrl('chat.bot');

/**
 * The credential `method` needs when called as `principal`. Throws
 * `forbidden` when the method does not accept that kind of principal, and
 * `misconfigured` when it needs administrator-approved scopes that are not
 * approved; both messages say which kind the method needs.
 */
export function resolveAuth(
  method: ChatMethod,
  principal: Principal,
  appScopesApproved: boolean,
): ResolvedAuth {
  const table = CHAT_METHOD_AUTH[method];
  if (principal.kind === 'app') {
    if (table.app) return { mode: 'app', scopes: table.app.map(scopeUrl) };
    if (table.appApproved && appScopesApproved) {
      return { mode: 'app-approved', scopes: table.appApproved.map(scopeUrl) };
    }
    if (table.appApproved) {
      throw new SpacelogError(
        'misconfigured',
        `${method} as the app needs administrator-approved scopes (${table.appApproved.join(', ')}): ` +
          'set CHAT_APP_SCOPES_APPROVED=true once an administrator approved them, or call it as a user.',
        { method, needs: 'app-approved or user' },
      );
    }
    throw new SpacelogError(
      'forbidden',
      `${method} needs user credentials (a delegated or signed-in user), not the app's own.`,
      { method, needs: 'user' },
    );
  }

  if (!table.user) {
    throw new SpacelogError(
      'forbidden',
      `${method} needs the app's own credentials, not a user's.`,
      {
        method,
        needs: 'app',
      },
    );
  }
  const scopes = table.user.map(scopeUrl);
  if (scopes.includes(CHAT_BOT_SCOPE)) {
    throw new SpacelogError('misconfigured', `${method}: chat.bot cannot be used for a user.`, {
      method,
    });
  }
  return principal.kind === 'delegated'
    ? { mode: 'delegated', scopes, subject: principal.subject }
    : { mode: 'user', scopes, userId: principal.userId };
}
