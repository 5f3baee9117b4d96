/**
 * Points a google-auth-library client's token requests at `OAUTH_TOKEN_URL`.
 * The `JWT` client posts its signed assertion to Google's token URL, which
 * google-auth-library 11 hard-codes (`gtoken/getToken.js`; a key file's
 * `token_uri` is ignored). Those requests go through the client's own gaxios
 * instance, whose request interceptors run once the URL is resolved and
 * before it is fetched, so one there can swap the URL. The assertion's `aud`
 * stays Google's token URL.
 */
import type { AuthClient } from 'google-auth-library';

/** The token URL google-auth-library's `JWT` client always uses. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Sends `client`'s requests for Google's token URL to `tokenUrl` instead (no-op when equal). */
export function useTokenUrl(client: AuthClient, tokenUrl: string): void {
  const target = new URL(tokenUrl);
  if (target.href === new URL(GOOGLE_TOKEN_URL).href) return;
  client.transporter.interceptors.request.add({
    resolved: (options) => {
      if (new URL(options.url).href === GOOGLE_TOKEN_URL) options.url = target;
      return Promise.resolve(options);
    },
  });
}
