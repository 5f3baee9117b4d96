/**
 * The Chat request verifier: reads the bearer token of a request and
 * accepts it only when it is an RS256 JWS of the configured kind, for the
 * configured audience, within its validity, signed by a key Google serves.
 * Signatures are checked with `node:crypto` against `KeyObject`s parsed once
 * (`keys.ts`), which is what keeps a verification to tens of microseconds.
 * A token that passed is remembered (by its exact bytes, signature
 * included) until it expires, so a token Google sends again costs a map
 * lookup and an expiry check; only accepted tokens are remembered, so
 * forged ones cannot fill the memory.
 * See https://developers.google.com/workspace/chat/verify-requests-from-chat
 */
import { verify } from 'node:crypto';
import type { Clock } from '../clock.js';
import { checkClaims, checkHeader, type ChatTokenKind, type VerifiedCaller } from './claims.js';
import { bearerToken, decodeToken } from './jws.js';
import type { KeySource } from './keys.js';
import { refused } from './refusal.js';

/** Verifies the `Authorization` header of a request from Chat. */
export interface ChatVerifier {
  /**
   * Resolves with the verified caller; rejects with `unauthenticated` for
   * any refused token and `unavailable` when the keys cannot be fetched.
   */
  verify(authorization: string | readonly string[] | undefined): Promise<VerifiedCaller>;
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

  return {
    async verify(authorization) {
      const raw = bearerToken(authorization);
      const nowSeconds = Math.floor(options.clock.now().getTime() / 1000);
      const known = accepted.get(raw);
      if (known !== undefined) {
        if (nowSeconds < known.expiresAt + expectation.skewSeconds) return known;
        accepted.delete(raw);
        throw refused('expired');
      }

      const token = decodeToken(raw);
      const kid = checkHeader(token.header);
      const caller = checkClaims(token.payload, expectation, nowSeconds);

      // Only a token whose claims already pass may cause a key refetch.
      const key = await options.keys.key(kid);
      if (key === undefined) throw refused('unknown-key-id');
      const signed = verify('RSA-SHA256', Buffer.from(token.signingInput), key, token.signature);
      if (!signed) throw refused('bad-signature');
      if (cacheSize > 0) {
        if (accepted.size >= cacheSize) accepted.delete(accepted.keys().next().value as string);
        accepted.set(raw, caller);
      }
      return caller;
    },
  };
}

/**
 * A verifier that accepts everything, for `CHAT_VERIFICATION=off-local-only`
 * (which configuration refuses on Google Cloud).
 */
export const acceptAnyToken: ChatVerifier = {
  verify: () =>
    Promise.resolve({
      kind: 'endpoint-url',
      issuer: 'unverified',
      email: 'unverified',
      expiresAt: 0,
    }),
};
