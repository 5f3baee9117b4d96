/**
 * The OAuth scopes Spacelog knows, as typed data: every Chat scope of the
 * authentication overview's table, the administrator-approved `chat.app.*`
 * scopes, the narrow scopes Spacelog prefers (`chat.messages.create`,
 * `chat.memberships.readonly`), and the sign-in scopes `openid` and `email`.
 * https://developers.google.com/workspace/chat/authenticate-authorize#chat-api-scopes
 *
 * Scopes are always held by their canonical names: full URLs, except
 * `openid`. Google accepts `email` as a shorthand when asked but reports the
 * granted scope as `https://www.googleapis.com/auth/userinfo.email`, so the
 * catalogue keys it by the URL and {@link normalizeScope} maps the shorthand.
 */

const CHAT = 'https://www.googleapis.com/auth/chat.';

/**
 * How a scope is used: `app` by the app's service account without approval,
 * `app-approved` by the app after a one-time administrator approval, `user`
 * through a user's grant, `identity` to learn who signed in.
 */
export type ScopeKind = 'app' | 'app-approved' | 'user' | 'identity';

/** One scope of the catalogue. */
export interface ScopeInfo {
  /** Canonical name: what a token response's `scope` lists. */
  readonly id: ScopeId;
  /** The short name used in docs and logs, such as `chat.spaces.readonly`. */
  readonly short: string;
  readonly kind: ScopeKind;
  /** What it allows, in a few words (shown to users when a feature is off). */
  readonly description: string;
}

/** The catalogue, keyed by a short, code-friendly name. */
export const SCOPE = {
  bot: `${CHAT}bot`,
  delete: `${CHAT}delete`,
  memberships: `${CHAT}memberships`,
  membershipsApp: `${CHAT}memberships.app`,
  membershipsReadonly: `${CHAT}memberships.readonly`,
  messages: `${CHAT}messages`,
  messagesCreate: `${CHAT}messages.create`,
  messagesReactions: `${CHAT}messages.reactions`,
  messagesReactionsCreate: `${CHAT}messages.reactions.create`,
  messagesReactionsReadonly: `${CHAT}messages.reactions.readonly`,
  messagesReadonly: `${CHAT}messages.readonly`,
  spaces: `${CHAT}spaces`,
  spacesCreate: `${CHAT}spaces.create`,
  spacesReadonly: `${CHAT}spaces.readonly`,
  appSpaces: `${CHAT}app.spaces`,
  appSpacesCreate: `${CHAT}app.spaces.create`,
  appSpacesReadonly: `${CHAT}app.spaces.readonly`,
  appMemberships: `${CHAT}app.memberships`,
  appMembershipsReadonly: `${CHAT}app.memberships.readonly`,
  appDelete: `${CHAT}app.delete`,
  appMessagesReadonly: `${CHAT}app.messages.readonly`,
  openid: 'openid',
  email: 'https://www.googleapis.com/auth/userinfo.email',
} as const;

/** A scope's canonical name. */
export type ScopeId = (typeof SCOPE)[keyof typeof SCOPE];

const entry = (id: ScopeId, kind: ScopeKind, description: string): ScopeInfo => ({
  id,
  short: id.replace('https://www.googleapis.com/auth/', ''),
  kind,
  description,
});

/** Every scope of the catalogue with its kind and description. */
export const SCOPES: readonly ScopeInfo[] = [
  entry(SCOPE.bot, 'app', 'The app reads and posts in spaces it belongs to.'),
  entry(SCOPE.delete, 'user', 'Delete spaces and conversations, and access to their files.'),
  entry(SCOPE.memberships, 'user', 'See, add and remove members of spaces.'),
  entry(SCOPE.membershipsApp, 'user', 'Add or remove this app (only) to and from spaces.'),
  entry(SCOPE.membershipsReadonly, 'user', 'See the members of spaces.'),
  entry(SCOPE.messages, 'user', 'Create, read, update, delete and list messages.'),
  entry(SCOPE.messagesCreate, 'user', 'Send messages.'),
  entry(SCOPE.messagesReactions, 'user', 'See, add and remove reactions to messages.'),
  entry(SCOPE.messagesReactionsCreate, 'user', 'Add reactions to messages.'),
  entry(SCOPE.messagesReactionsReadonly, 'user', 'See reactions to messages.'),
  entry(SCOPE.messagesReadonly, 'user', 'Read and list messages.'),
  entry(SCOPE.spaces, 'user', 'Create spaces and see or change their settings.'),
  entry(SCOPE.spacesCreate, 'user', 'Create spaces and conversations.'),
  entry(SCOPE.spacesReadonly, 'user', 'See spaces and conversations.'),
  entry(SCOPE.appSpaces, 'app-approved', 'The app creates, sees and changes spaces it manages.'),
  entry(SCOPE.appSpacesCreate, 'app-approved', 'The app creates spaces.'),
  entry(SCOPE.appSpacesReadonly, 'app-approved', 'The app sees spaces and their events.'),
  entry(SCOPE.appMemberships, 'app-approved', 'The app adds, changes and removes members.'),
  entry(SCOPE.appMembershipsReadonly, 'app-approved', 'The app sees membership events.'),
  entry(SCOPE.appDelete, 'app-approved', 'The app deletes spaces it created.'),
  entry(SCOPE.appMessagesReadonly, 'app-approved', 'The app reads public messages in spaces.'),
  entry(SCOPE.openid, 'identity', 'Confirms which Google account signed in.'),
  entry(SCOPE.email, 'identity', 'The email address of the account that signed in.'),
];

const BY_ID = new Map<string, ScopeInfo>(SCOPES.map((s) => [s.id, s]));

// Google's short forms of sign-in scopes, and what they stand for.
const ALIASES: Readonly<Record<string, string>> = {
  email: SCOPE.email,
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
};

/** The canonical name of a scope as written in a request or a token response. */
export function normalizeScope(scope: string): string {
  return ALIASES[scope] ?? scope;
}

/** The canonical scopes of a space-separated `scope` value, de-duplicated. */
export function parseScopes(value: string | undefined): string[] {
  const words = (value ?? '').split(/\s+/).filter((s) => s !== '');
  return [...new Set(words.map(normalizeScope))];
}

/** The catalogue entry of a scope, or undefined when Spacelog does not know it. */
export function scopeInfo(scope: string): ScopeInfo | undefined {
  return BY_ID.get(normalizeScope(scope));
}

/** True when the catalogue knows this scope. */
export function isKnownScope(scope: string): scope is ScopeId {
  return BY_ID.has(normalizeScope(scope));
}

// Which broader scopes allow everything a narrower one does, per the method
// reference pages (every method a narrow scope allows lists these too).
const BROADER: Readonly<Partial<Record<ScopeId, readonly ScopeId[]>>> = {
  [SCOPE.spacesReadonly]: [SCOPE.spaces],
  [SCOPE.spacesCreate]: [SCOPE.spaces],
  [SCOPE.membershipsReadonly]: [SCOPE.memberships],
  [SCOPE.membershipsApp]: [SCOPE.memberships],
  [SCOPE.messagesReadonly]: [SCOPE.messages],
  [SCOPE.messagesCreate]: [SCOPE.messages],
  [SCOPE.messagesReactions]: [SCOPE.messages],
  [SCOPE.messagesReactionsCreate]: [SCOPE.messagesReactions, SCOPE.messages],
  [SCOPE.messagesReactionsReadonly]: [SCOPE.messagesReactions, SCOPE.messages],
  [SCOPE.appSpacesCreate]: [SCOPE.appSpaces],
  [SCOPE.appMembershipsReadonly]: [SCOPE.appMemberships],
};

/** True when `granted` holds `scope` or a broader scope that allows all it does. */
export function grantAllows(granted: Iterable<string>, scope: string): boolean {
  const have = new Set([...granted].map(normalizeScope));
  const wanted = normalizeScope(scope);
  if (have.has(wanted)) return true;
  return (BROADER[wanted as ScopeId] ?? []).some((s) => have.has(s));
}
