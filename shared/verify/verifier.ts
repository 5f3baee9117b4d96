/**
 * The Chat request verifier: reads the bearer token of a request and
 * accepts it only when it is an RS256 JWS of the configured kind, for the
 * configured audience, within its validity, signed by a key Google serves.
 * Signatures are checked with `node:crypto` against `KeyObject`s parsed once
 * (`keys.ts`), which is what keeps a verification to tens of microseconds.
 * While the keys are fresh a check is synchronous, answered without a
 * promise. A token that passed is remembered (by the exact header,
 * signature included) until it expires, so a token Google sends again costs
 * a map lookup and an expiry check; only accepted tokens are remembered, so
 * forged ones cannot fill the memory.
 * See https://developers.google.com/workspace/chat/verify-requests-from-chat
 */
import { verify, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import { toSpacelogError } from '../errors.js';
import { checkClaims, checkHeader, type ChatTokenKind, type VerifiedCaller } from './claims.js';
import { bearerToken, decodeToken } from './jws.js';
import type { KeySource } from './keys.js';
import { refused } from './refusal.js';

/** Verifies the `Authorization` header of a request from Chat. */
export interface ChatVerifier {
  /**
   * Resolves with the verified caller; rejects with `unauthenticated` for
   * any refused token and `unavailable` when the keys cannot be fetched.
   * A token accepted before is answered at once, as a plain value: under
   * the functions framework every promise is traced, so the hot path
   * avoids them. It never throws; refusals always come as rejections.
   */
  verify(
    authorization: string | readonly string[] | undefined,
  ): VerifiedCaller | Promise<VerifiedCaller>;
}

/** Options of {@link createChatVerifier}. */
export interface ChatVerifierOptions {
  readonly kind: ChatTokenKind;
  readonly audience: string;
  /** Required for `add-on`. */
  readonly addOnServiceAgent?: string;
  /** Keys of the right set: Chat's x509 keys for `project-number`, Google's otherwise. */
  readonly keys: KeySource;
  readonly clock: Clock;
  /** Default 60 s. */
  readonly skewSeconds?: number;
  /** Default one day, as Google's own libraries allow. */
  readonly maxLifetimeSeconds?: number;
  /** Accepted tokens remembered; default 1024, 0 turns remembering off. */
  readonly acceptedCacheSize?: number;
}

/** Builds a verifier for one configured kind and audience. */
export function createChatVerifier(options: ChatVerifierOptions): ChatVerifier {
  const expectation = {
    kind: options.kind,
    audience: options.audience,
    addOnServiceAgent: options.addOnServiceAgent,
    skewSeconds: options.skewSeconds ?? 60,
    maxLifetimeSeconds: options.maxLifetimeSeconds ?? 86_400,
  };

  const cacheSize = options.acceptedCacheSize ?? 1024;
  const accepted = new Map<string, VerifiedCaller>();

  // Remembered by the whole header value: Chat sends the same one while it reuses a token.
  const remember = (authorization: string | readonly string[] | undefined, c: VerifiedCaller) => {
    if (cacheSize > 0 && typeof authorization === 'string') {
      if (accepted.size >= cacheSize) accepted.delete(accepted.keys().next().value as string);
      accepted.set(authorization, c);
    }
    return c;
  };

  // With the key at hand the whole check is synchronous: no promise on the request path.
  const check = (
    authorization: string | readonly string[] | undefined,
  ): VerifiedCaller | Promise<VerifiedCaller> => {
    try {
      const token = decodeToken(bearerToken(authorization));
      const kid = checkHeader(token.header);
      const nowSeconds = Math.floor(options.clock.now().getTime() / 1000);
      const caller = checkClaims(token.payload, expectation, nowSeconds);
      const signedBy = (key: KeyObject | undefined) => {
        if (key === undefined) throw refused('unknown-key-id');
        const data = Buffer.from(token.signingInput);
        if (!verify('RSA-SHA256', data, key, token.signature)) throw refused('bad-signature');
        return remember(authorization, caller);
      };
      const key = options.keys.fresh?.(kid);
      // Only a token whose claims already pass may cause a key refetch.
      return key !== undefined ? signedBy(key) : options.keys.key(kid).then(signedBy);
    } catch (err) {
      return Promise.reject(toSpacelogError(err));
    }
  };

  return {
    verify(authorization) {
      const known = typeof authorization === 'string' ? accepted.get(authorization) : undefined;
      if (known === undefined) return check(authorization);
      const nowSeconds = Math.floor(options.clock.now().getTime() / 1000);
      if (nowSeconds < known.expiresAt + expectation.skewSeconds) return known;
      accepted.delete(authorization as string);
      return Promise.reject(refused('expired'));
    },
  };
}

/**
 * A verifier that accepts everything, for `CHAT_VERIFICATION=off-local-only`
 * (which configuration refuses on Google Cloud).
 */
export const acceptAnyToken: ChatVerifier = {
  verify: () => ({ kind: 'endpoint-url', issuer: 'unverified', email: 'unverified', expiresAt: 0 }),
};
