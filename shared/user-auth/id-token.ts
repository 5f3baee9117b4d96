/**
 * Who signed in: the ID token of a code exchange, verified with Google's
 * OAuth certificates (signature, issuer, expiry, audience = our client id).
 * Its `sub` is the Google account's numeric id, which is the id in Chat's
 * `users/{id}`.
 */
import { OAuth2Client } from 'google-auth-library';
import { SpacelogError } from '../errors.js';

/** The verified identity of an ID token. */
export interface SignedInAccount {
  /** The numeric account id. */
  readonly sub: string;
  readonly email?: string;
}

/** Verifies ID tokens. */
export interface IdTokenVerifier {
  /** The account, or throws an `unauthenticated` error when the token does not verify. */
  verify(idToken: string): Promise<SignedInAccount>;
}

/** A verifier using google-auth-library with certificates from `certsUrl` (PEM map). */
export function createIdTokenVerifier(options: {
  readonly clientId: string;
  readonly certsUrl: string;
}): IdTokenVerifier {
  const client = new OAuth2Client({
    clientId: options.clientId,
    endpoints: { oauth2FederatedSignonPemCertsUrl: options.certsUrl },
  });
  return {
    async verify(idToken) {
      let payload;
      try {
        const ticket = await client.verifyIdToken({ idToken, audience: options.clientId });
        payload = ticket.getPayload();
      } catch (cause) {
        throw new SpacelogError('unauthenticated', 'The ID token did not verify.', {}, { cause });
      }
      if (payload?.sub === undefined || payload.sub === '') {
        throw new SpacelogError('unauthenticated', 'The ID token has no subject.');
      }
      return {
        sub: payload.sub,
        ...(payload.email !== undefined && { email: payload.email }),
      };
    },
  };
}
