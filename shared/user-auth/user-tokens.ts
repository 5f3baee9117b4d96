/**
 * Access tokens for calls made as a user. Each instance caches them; ahead
 * of expiry one instance at a time refreshes a user's token under a lease in
 * Firestore and stores the new one sealed, and the other instances wait and
 * read it. Within an instance concurrent callers share one attempt. A refresh
 * refused with `invalid_grant` marks the grant revoked: the user is asked to
 * sign in again next time.
 */
import { SpacelogError, unavailable } from '../errors.js';
import type { UserTokens } from '../outbound/credentials.js';
import { grantAllows } from '../scopes/catalogue.js';
import { markRevoked, sealAccessToken, sealContext, type GrantDeps } from './grants.js';
import type { StoredGrant } from './grant-store.js';
import type { LeaseStore } from './lease.js';
import { isInvalidGrant, type TokenEndpoint } from './token-endpoint.js';

export type { UserTokens } from '../outbound/credentials.js';

/** Collaborators and settings of {@link createUserTokens}. */
export interface UserTokensDeps extends GrantDeps {
  readonly endpoint: TokenEndpoint;
  readonly leases: LeaseStore;
  /** Refresh this long before expiry (USER_TOKEN_REFRESH_MARGIN_SECONDS). */
  readonly refreshMarginSeconds: number;
  /** How long a refresh may hold the lease (USER_TOKEN_LEASE_SECONDS). */
  readonly leaseSeconds: number;
  /** Pause between reads while another instance refreshes. Default 100 ms. */
  readonly pollMs?: number;
  /** Waits for `ms`; tests may pass their own. */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface LiveToken {
  readonly token: string;
  readonly expiresAt: number;
  readonly scopes: readonly string[];
}

/** The error `accessToken` throws when the user must sign in (again). */
export function signInRequired(reason: 'no-grant' | 'revoked' | 'scopes'): SpacelogError {
  return new SpacelogError('forbidden', 'The user must sign in to allow this.', {
    reason: 'sign-in-required',
    why: reason,
  });
}

/** True for the error of {@link signInRequired}. */
export function isSignInRequired(err: unknown): boolean {
  return err instanceof SpacelogError && err.details['reason'] === 'sign-in-required';
}

// Each wanted scope must be granted, itself or through a broader scope.
const covers = (scopes: readonly string[], wanted: readonly string[]) =>
  wanted.every((s) => grantAllows(scopes, s));

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Builds the user token provider. */
export function createUserTokens(deps: UserTokensDeps): UserTokens {
  const cache = new Map<string, LiveToken>();
  const inFlight = new Map<string, Promise<LiveToken>>();
  const pollMs = deps.pollMs ?? 100;
  const sleep = deps.sleep ?? defaultSleep;
  const marginMs = deps.refreshMarginSeconds * 1000;
  const live = (expiresAt: number) => expiresAt - marginMs > deps.clock.now().getTime();

  /** The stored token when it serves `wanted`; throws when the grant cannot. */
  const stored = async (
    userId: string,
    grant: StoredGrant | undefined,
    wanted: readonly string[],
    refused: string | undefined,
  ): Promise<LiveToken | undefined> => {
    if (grant === undefined) throw signInRequired('no-grant');
    if (grant.status !== 'active' || grant.refreshToken === undefined) {
      throw signInRequired('revoked');
    }
    if (!covers(grant.grantedScopes, wanted)) throw signInRequired('scopes');
    const access = grant.accessToken;
    if (access === undefined || !live(access.expiresAt.getTime())) return undefined;
    if (!covers(access.scopes, wanted)) return undefined;
    const token = await deps.cipher.open(access.sealed, sealContext(userId, 'access'));
    // The token the Chat API just refused is no answer, even if it looks live.
    if (token === refused) return undefined;
    return { token, expiresAt: access.expiresAt.getTime(), scopes: access.scopes };
  };

  const refresh = async (userId: string, grant: StoredGrant): Promise<LiveToken> => {
    if (grant.refreshToken === undefined) throw signInRequired('revoked');
    const refreshToken = await deps.cipher.open(grant.refreshToken, sealContext(userId, 'refresh'));
    let tokens;
    try {
      tokens = await deps.endpoint.refresh(refreshToken);
    } catch (err) {
      if (!isInvalidGrant(err)) throw err;
      await markRevoked(deps, userId);
      throw signInRequired('revoked');
    }
    const accessToken = await sealAccessToken(deps, userId, tokens);
    const rotated =
      tokens.refreshToken === undefined
        ? undefined
        : await deps.cipher.seal(tokens.refreshToken, sealContext(userId, 'refresh'));
    await deps.grants.update(userId, (current) => {
      if (current?.status !== 'active') return undefined;
      return {
        ...current,
        accessToken,
        ...(rotated !== undefined && { refreshToken: rotated }),
        ...(tokens.scopes.length > 0 && { grantedScopes: [...tokens.scopes].sort() }),
        updatedAt: deps.clock.now(),
      };
    });
    deps.logger.debug('User access token refreshed.', { userId });
    return {
      token: tokens.accessToken,
      expiresAt: accessToken.expiresAt.getTime(),
      scopes: tokens.scopes,
    };
  };

  const obtain = async (
    userId: string,
    wanted: readonly string[],
    refused: string | undefined,
  ): Promise<LiveToken> => {
    const maxPolls = Math.ceil((deps.leaseSeconds * 2000) / pollMs);
    for (let poll = 0; poll <= maxPolls; poll += 1) {
      const seen = await stored(userId, await deps.grants.get(userId), wanted, refused);
      if (seen !== undefined) return seen;

      const lease = await deps.leases.tryAcquire(userId, deps.clock.now(), deps.leaseSeconds);
      if (lease !== undefined) {
        try {
          // Another instance may have refreshed between the read above and the lease.
          const grant = await deps.grants.get(userId);
          const again = await stored(userId, grant, wanted, refused);
          return again ?? (await refresh(userId, grant as StoredGrant));
        } finally {
          await lease.release();
        }
      }
      await sleep(pollMs + Math.floor(Math.random() * pollMs));
    }
    throw unavailable('Timed out waiting for another instance to refresh a user token.', {
      userId,
    });
  };

  const shared = (userId: string, wanted: readonly string[], refused: string | undefined) => {
    let attempt = inFlight.get(userId);
    if (attempt === undefined) {
      attempt = obtain(userId, wanted, refused).finally(() => inFlight.delete(userId));
      inFlight.set(userId, attempt);
    }
    return attempt;
  };

  return {
    async accessToken(userId, scopes, options = {}) {
      const cached = cache.get(userId);
      const refused = options.fresh === true ? cached?.token : undefined;
      if (refused !== undefined) cache.delete(userId);
      else if (cached !== undefined && live(cached.expiresAt) && covers(cached.scopes, scopes)) {
        return cached.token;
      }

      let token = await shared(userId, scopes, refused);
      // A shared attempt made for other scopes may have found a narrower stored token.
      if (!covers(token.scopes, scopes)) token = await obtain(userId, scopes, refused);
      if (!covers(token.scopes, scopes)) throw signInRequired('scopes');
      cache.set(userId, token);
      return token.token;
    },
  };
}

/** A provider for which no user ever signed in (tests, and app-only deployments). */
export const noUserTokens: UserTokens = {
  accessToken: () => Promise.reject(signInRequired('no-grant')),
};
