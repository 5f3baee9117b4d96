/**
 * Token clients built on google-auth-library's `JWT`: the service account
 * signs an assertion (with `sub` for domain-wide delegation) and exchanges it
 * at the token endpoint. Self-signed JWT mode is not used: it skips the
 * exchange but silently drops `subject`.
 */
import { JWT } from 'google-auth-library';
import type { TokenClient, TokenClientFactory } from './credentials.js';
import { useTokenUrl } from './token-url.js';

/** A factory of `JWT` token clients whose token requests go to `tokenUrl`. */
export function jwtTokenClients(tokenUrl: string): TokenClientFactory {
  return (key, scopes, subject) => {
    const jwt = new JWT({
      email: key.client_email,
      key: key.private_key,
      ...(key.private_key_id !== undefined && { keyId: key.private_key_id }),
      scopes: [...scopes],
      ...(subject !== undefined && { subject }),
    });
    useTokenUrl(jwt, tokenUrl);
    return jwtTokenClient(jwt);
  };
}

function jwtTokenClient(jwt: JWT): TokenClient {
  let pending: Promise<string> | undefined;
  return {
    token() {
      // Concurrent callers of an expired token share one mint.
      pending ??= jwt
        .getAccessToken()
        .then(({ token }) => {
          if (!token) throw new Error('The token endpoint returned no access token.');
          return token;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    drop() {
      // The state a new JWT client starts in: no token, expired, refreshable.
      jwt.credentials = { refresh_token: 'jwt-placeholder', expiry_date: 1 };
    },
  };
}
