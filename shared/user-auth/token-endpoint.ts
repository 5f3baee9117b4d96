/**
 * Calls to Google's OAuth token and revocation endpoints for user grants:
 * the authorization code exchange (with the PKCE verifier), the refresh, and
 * the revocation. Errors become coded errors that name the OAuth error but
 * never carry a token, a code or the response body.
 * https://developers.google.com/identity/protocols/oauth2/web-server
 */
import { SpacelogError, misconfigured, unavailable } from '../errors.js';
import { parseScopes } from '../scopes/catalogue.js';

/** A token response, with canonical scope names. */
export interface TokenResponse {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  readonly scopes: readonly string[];
  /** Absent when Google sends none (a repeated consent): keep the stored one. */
  readonly refreshToken?: string;
  readonly idToken?: string;
}

/** The OAuth client's secret, read from Secret Manager and cached. */
export interface ClientSecret {
  get(): Promise<string>;
  /** Forgets the cached value, after the token endpoint refused the client (rotation). */
  invalidate(): void;
}

/** What the token client needs. */
export interface TokenEndpointOptions {
  readonly tokenUrl: string;
  readonly revokeUrl: string;
  readonly clientId: string;
  readonly clientSecret: ClientSecret;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** The token endpoint, as Spacelog uses it for user grants. */
export interface TokenEndpoint {
  exchangeCode(code: string, codeVerifier: string, redirectUri: string): Promise<TokenResponse>;
  refresh(refreshToken: string): Promise<TokenResponse>;
  /** Revokes a token and with it the whole grant; an unknown token counts as revoked. */
  revoke(token: string): Promise<void>;
}

/** True when the token endpoint answered `invalid_grant` (revoked, expired or used). */
export function isInvalidGrant(err: unknown): boolean {
  return err instanceof SpacelogError && err.details['oauthError'] === 'invalid_grant';
}

/** A token endpoint client. */
export function createTokenEndpoint(options: TokenEndpointOptions): TokenEndpoint {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  const post = async (url: string, form: Record<string, string>) => {
    try {
      return await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw unavailable(
        'The OAuth endpoint did not answer.',
        { endpoint: endpointName(url) },
        cause,
      );
    }
  };

  const grant = async (form: Record<string, string>, retried = false): Promise<TokenResponse> => {
    const secret = await options.clientSecret.get();
    const body = { ...form, client_id: options.clientId, client_secret: secret };
    const res = await post(options.tokenUrl, body);
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok) return parseTokenResponse(json);

    const oauthError = typeof json['error'] === 'string' ? json['error'] : 'unknown';
    if (oauthError === 'invalid_client' && !retried) {
      options.clientSecret.invalidate();
      return grant(form, true);
    }
    throw tokenError(res.status, oauthError, form['grant_type'] ?? '');
  };

  return {
    exchangeCode: (code, codeVerifier, redirectUri) =>
      grant({
        grant_type: 'authorization_code',
        code,
        code_verifier: codeVerifier,
        redirect_uri: redirectUri,
      }),

    refresh: (refreshToken) => grant({ grant_type: 'refresh_token', refresh_token: refreshToken }),

    async revoke(token) {
      const res = await post(options.revokeUrl, { token });
      if (res.ok) return;
      // Google answers 400 invalid_token for a token already revoked or expired.
      if (res.status === 400) return;
      throw tokenError(res.status, 'revoke-failed', 'revoke');
    },
  };
}

function parseTokenResponse(json: Record<string, unknown>): TokenResponse {
  const accessToken = json['access_token'];
  const expiresIn = Number(json['expires_in']);
  if (typeof accessToken !== 'string' || accessToken === '' || !Number.isFinite(expiresIn)) {
    throw unavailable('The token endpoint sent a malformed response.', { endpoint: 'token' });
  }
  const refreshToken = json['refresh_token'];
  const idToken = json['id_token'];
  return {
    accessToken,
    expiresInSeconds: expiresIn,
    scopes: parseScopes(typeof json['scope'] === 'string' ? json['scope'] : ''),
    ...(typeof refreshToken === 'string' && refreshToken !== '' && { refreshToken }),
    ...(typeof idToken === 'string' && idToken !== '' && { idToken }),
  };
}

function tokenError(status: number, oauthError: string, grantType: string): SpacelogError {
  const details = { status, oauthError, grantType };
  if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
    return misconfigured('The OAuth client id or secret was refused.', details);
  }
  if (status === 429)
    return new SpacelogError('rate-limited', 'Token endpoint throttled.', details);
  if (status >= 500) return unavailable('The token endpoint failed.', details);
  return new SpacelogError('forbidden', 'The token endpoint refused the grant.', details);
}

function endpointName(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return 'unknown';
  }
}
