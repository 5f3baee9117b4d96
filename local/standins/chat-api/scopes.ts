/**
 * Which OAuth scopes allow each Chat API method, under app authentication and
 * under user authentication (domain-wide delegation counts as user auth).
 * From the "Authorization scopes" section of each method's reference page,
 * https://developers.google.com/workspace/chat/api/reference/rest.
 * `chat.import` (import-mode spaces only) is left out: the
 * stand-in has no import-mode spaces.
 */

/** Every method the stand-in serves, named as the REST reference names them. */
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
  | 'members.list'
  | 'reactions.create';

/** Scopes (short names, without the URL prefix) that allow a method. */
export interface MethodScopes {
  /** Under app auth; empty when the method needs user auth. */
  readonly app: readonly string[];
  /** Under user auth; empty when the method needs app auth. */
  readonly user: readonly string[];
}

/** The scope table, exported so tests can assert it. */
export const CHAT_METHOD_SCOPES: Readonly<Record<ChatMethod, MethodScopes>> = {
  'messages.create': { app: ['chat.bot'], user: ['chat.messages', 'chat.messages.create'] },
  'messages.get': {
    app: ['chat.bot', 'chat.app.messages.readonly'],
    user: ['chat.messages', 'chat.messages.readonly'],
  },
  'messages.list': {
    app: ['chat.app.messages.readonly'],
    user: ['chat.messages', 'chat.messages.readonly'],
  },
  'messages.patch': { app: ['chat.bot'], user: ['chat.messages'] },
  'messages.delete': { app: ['chat.bot'], user: ['chat.messages'] },
  'spaces.get': {
    app: ['chat.bot', 'chat.app.spaces'],
    user: ['chat.spaces', 'chat.spaces.readonly'],
  },
  'spaces.list': { app: ['chat.bot'], user: ['chat.spaces', 'chat.spaces.readonly'] },
  'spaces.create': {
    app: ['chat.app.spaces', 'chat.app.spaces.create'],
    user: ['chat.spaces', 'chat.spaces.create'],
  },
  'spaces.setup': { app: [], user: ['chat.spaces', 'chat.spaces.create'] },
  'spaces.findDirectMessage': {
    app: ['chat.bot'],
    user: ['chat.spaces', 'chat.spaces.readonly'],
  },
  'members.create': {
    app: ['chat.app.memberships'],
    // chat.memberships.app only lets the caller add the calling app itself.
    user: ['chat.memberships', 'chat.memberships.app'],
  },
  'members.list': {
    app: ['chat.bot', 'chat.app.memberships'],
    user: ['chat.memberships', 'chat.memberships.readonly'],
  },
  'reactions.create': {
    app: [],
    user: ['chat.messages', 'chat.messages.reactions', 'chat.messages.reactions.create'],
  },
};

/** Methods that write; they count against the per-space write limit. */
export const SPACE_WRITE_METHODS: ReadonlySet<ChatMethod> = new Set([
  'messages.create',
  'messages.patch',
  'messages.delete',
  'members.create',
  'reactions.create',
]);

const SCOPE_PREFIX = 'https://www.googleapis.com/auth/';

/** `https://www.googleapis.com/auth/chat.bot` → `chat.bot`; short names pass through. */
export function shortScope(scope: string): string {
  return scope.startsWith(SCOPE_PREFIX) ? scope.slice(SCOPE_PREFIX.length) : scope;
}

/** `chat.bot` → `https://www.googleapis.com/auth/chat.bot`. */
export function scopeUrl(scope: string): string {
  return scope.startsWith('https://') ? scope : SCOPE_PREFIX + scope;
}

/** The scopes of `granted` (short names) that allow `method` for this kind of caller. */
export function allowingScopes(
  method: ChatMethod,
  kind: 'app' | 'user',
  granted: ReadonlySet<string>,
): string[] {
  return CHAT_METHOD_SCOPES[method][kind].filter((scope) => granted.has(scope));
}

/** The refusal text for a caller without a scope that allows `method`. */
export function missingScopeMessage(method: ChatMethod, kind: 'app' | 'user'): string {
  const needed = CHAT_METHOD_SCOPES[method][kind];
  if (needed.length === 0) {
    const other = kind === 'app' ? 'user' : 'app';
    return (
      `Request had insufficient authentication scopes. ${method} requires ${other} ` +
      `authentication with one of: ${CHAT_METHOD_SCOPES[method][other].map(scopeUrl).join(', ')}`
    );
  }
  return (
    `Request had insufficient authentication scopes. ${method} under ${kind} authentication ` +
    `requires one of: ${needed.map(scopeUrl).join(', ')}`
  );
}
