/**
 * What happens to a user's grant: recorded after a sign-in (tokens sealed,
 * scopes compared with what was asked), marked revoked when Google refuses
 * it, and ended by `/signout`. Each change is also an event in the user's
 * stream, without tokens.
 */
import type { Clock } from '../clock.js';
import { newEvent, userStream, type EventStore } from '../eventlog/index.js';
import type { Logger } from '../log.js';
import type { GrantStore, StoredAccessToken, StoredGrant } from './grant-store.js';
import type { SealedToken, TokenCipher } from './token-cipher.js';
import type { TokenEndpoint, TokenResponse } from './token-endpoint.js';

/** Collaborators of the grant lifecycle. */
export interface GrantDeps {
  readonly grants: GrantStore;
  readonly cipher: TokenCipher;
  readonly events: EventStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Where in a grant a sealed token sits; bound into the ciphertext. */
export const sealContext = (userId: string, field: 'refresh' | 'access'): string =>
  `userGrants/${userId}/${field}`;

/** What recording a sign-in did. */
export type RecordOutcome =
  | { readonly status: 'recorded'; readonly grant: StoredGrant }
  /** Stored, but some scopes asked for were not granted. */
  | { readonly status: 'partial'; readonly grant: StoredGrant; readonly declined: string[] }
  /** No refresh token in the response and none stored: nothing stored. */
  | { readonly status: 'no-refresh-token' };

/** Seals a token response into an access token entry. */
export async function sealAccessToken(
  deps: Pick<GrantDeps, 'cipher' | 'clock'>,
  userId: string,
  tokens: TokenResponse,
): Promise<StoredAccessToken> {
  const now = deps.clock.now().getTime();
  return {
    sealed: await deps.cipher.seal(tokens.accessToken, sealContext(userId, 'access')),
    expiresAt: new Date(now + tokens.expiresInSeconds * 1000),
    scopes: tokens.scopes,
  };
}

/**
 * Stores the grant of a completed sign-in whose account was already checked.
 * A response without a refresh token keeps the stored one; `eventId` makes
 * the event idempotent (derive it from the sign-in's state).
 */
export async function recordSignIn(
  deps: GrantDeps,
  input: {
    readonly userId: string;
    readonly tokens: TokenResponse;
    readonly requestedScopes: readonly string[];
    readonly eventId: string;
  },
): Promise<RecordOutcome> {
  const { userId, tokens } = input;
  const refresh: SealedToken | undefined =
    tokens.refreshToken === undefined
      ? undefined
      : await deps.cipher.seal(tokens.refreshToken, sealContext(userId, 'refresh'));
  const accessToken = await sealAccessToken(deps, userId, tokens);
  const granted = [...tokens.scopes].sort();
  const declined = input.requestedScopes.filter((s) => !granted.includes(s));

  const { grant: stored, changed } = await deps.grants.update(userId, (current) => {
    const kept = current?.status === 'active' ? current.refreshToken : undefined;
    const refreshToken = refresh ?? kept;
    if (refreshToken === undefined) return undefined;
    return {
      userId,
      refreshToken,
      accessToken,
      grantedScopes: granted,
      requestedScopes: [...input.requestedScopes],
      declinedScopes: declined,
      noticePending: declined.length > 0,
      status: 'active',
      updatedAt: deps.clock.now(),
    };
  });
  if (!changed || stored?.refreshToken === undefined) return { status: 'no-refresh-token' };

  await deps.events.append(
    newEvent('UserGrantRecorded', {
      id: input.eventId,
      stream: userStream(userId),
      occurredAt: deps.clock.now(),
      causedBy: { kind: 'user', id: userId },
      payload: {
        scopes: granted,
        requestedScopes: [...input.requestedScopes],
        keyId: stored.refreshToken.keyId,
      },
    }),
  );
  deps.logger.info('User grant recorded.', {
    userId,
    grantedCount: granted.length,
    declinedCount: declined.length,
    newRefreshToken: refresh !== undefined,
  });
  return declined.length > 0
    ? { status: 'partial', grant: stored, declined }
    : { status: 'recorded', grant: stored };
}

/** Marks a grant revoked after Google refused it; the user signs in again next time. */
export async function markRevoked(deps: GrantDeps, userId: string): Promise<void> {
  const now = deps.clock.now();
  const { changed } = await deps.grants.update(userId, (current) => {
    if (current === undefined || current.status === 'revoked') return undefined;
    return {
      userId: current.userId,
      grantedScopes: current.grantedScopes,
      requestedScopes: current.requestedScopes,
      declinedScopes: current.declinedScopes,
      noticePending: false,
      status: 'revoked',
      updatedAt: now,
    };
  });
  if (!changed) return;
  await deps.events.append(
    newEvent('UserGrantRevoked', {
      id: `grant-revoked:${userId}:${now.toISOString()}`,
      stream: userStream(userId),
      occurredAt: now,
      causedBy: { kind: 'system', id: 'oauth' },
      payload: { reason: 'invalid_grant' },
    }),
  );
  deps.logger.warn('User grant revoked by Google.', { userId });
}

/**
 * `/signout`: revokes the grant at Google (refresh token, else access
 * token) and deletes it. Returns false when there was nothing to end.
 */
export async function signOut(
  deps: GrantDeps & { readonly endpoint: TokenEndpoint },
  userId: string,
  interactionId: string,
): Promise<boolean> {
  const grant = await deps.grants.get(userId);
  if (grant === undefined) return false;
  const sealed = grant.refreshToken ?? grant.accessToken?.sealed;
  if (sealed !== undefined) {
    const field = grant.refreshToken !== undefined ? 'refresh' : 'access';
    const token = await deps.cipher.open(sealed, sealContext(userId, field));
    await deps.endpoint.revoke(token);
  }
  await deps.grants.delete(userId);
  await deps.events.append(
    newEvent('UserGrantRevoked', {
      id: `signout:${interactionId}`,
      stream: userStream(userId),
      occurredAt: deps.clock.now(),
      causedBy: { kind: 'user', id: userId },
      payload: { reason: 'signout' },
    }),
  );
  deps.logger.info('User signed out.', { userId });
  return true;
}
