/**
 * Sends a google-auth-library client's token requests to a local token
 * endpoint. The `JWT` client posts its assertion to Google's token URL,
 * which is hard-coded (google-auth-library 11: `gtoken/getToken.js`; the
 * key file's `token_uri` is ignored). The request goes through the client's
 * own gaxios instance (`client.transporter`, gaxios 8), whose request
 * interceptors run after the URL is resolved and before `fetch`, so an
 * interceptor there can rewrite the URL. The assertion keeps
 * `aud: https://oauth2.googleapis.com/token`, which the OAuth stand-in accepts.
 */
import type { AuthClient } from 'google-auth-library';
import { GOOGLE_TOKEN_URL } from './oauth-jwt-bearer.js';

/** Rewrites requests of `client` for Google's token URL to `tokenUrl`. */
export function redirectTokenRequests(client: AuthClient, tokenUrl: string): void {
  const target = new URL(tokenUrl);
  client.transporter.interceptors.request.add({
    resolved: (options) => {
      if (new URL(options.url).href === GOOGLE_TOKEN_URL) options.url = target;
      return Promise.resolve(options);
    },
  });
}
