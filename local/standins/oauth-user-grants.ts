/**
 * The user grants of the OAuth stand-in's token endpoint: the authorization
 * code exchange (with PKCE S256) and the refresh token grant.
 *
 * Model, close to Google's: a refresh token belongs to the user's grant to the
 * client, and a refresh gives the grant's current scopes. A code exchange
 * carries a refresh token only with `access_type=offline` and when the
 * consent was new (first consent, new scopes, or `prompt=consent`); otherwise
 * the response has none, as Google's does on a repeated sign-in.
 * https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SigningKey } from './keys.js';
import { signJwt } from './jwt.js';
import type { OAuthUser, TokenAnswer } from './oauth-jwt-bearer.js';
import { grantKey, type Grant, type OAuthStore } from './oauth-store.js';

/** An OAuth client (a web application's client id and secret). */
export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

/** What the user grants need from the stand-in. */
export interface UserGrantContext {
  readonly store: OAuthStore;
  readonly clients: readonly OAuthClient[];
  readonly users: readonly OAuthUser[];
  readonly issuer: string;
  readonly googleKey: () => SigningKey;
  readonly ttlSeconds: number;
  readonly now: number;
}

const EMAIL_SCOPE = 'https://www.googleapis.com/auth/userinfo.email';

const refuse = (status: number, error: string, description: string): TokenAnswer => ({
  status,
  body: { error, error_description: description },
});

const sameText = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

// RFC 6749 form-encodes Basic credentials; google-auth-library sends them raw.
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The client that authenticated with the form fields or HTTP Basic, or `undefined`. */
export function authenticateClient(
  req: IncomingMessage,
  form: URLSearchParams,
  clients: readonly OAuthClient[],
): OAuthClient | undefined {
  let id = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    id = formDecode(decoded.slice(0, colon));
    secret = formDecode(decoded.slice(colon + 1));
  }
  const client = clients.find((candidate) => candidate.clientId === id);
  return client && secret !== null && sameText(client.clientSecret, secret) ? client : undefined;
}

/** The S256 PKCE challenge of a verifier. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** `grant_type=authorization_code`. */
export function authorizationCodeGrant(
  form: URLSearchParams,
  client: OAuthClient,
  context: UserGrantContext,
): TokenAnswer {
  const code = context.store.takeCode(form.get('code') ?? '', context.now);
  if (!code || code.clientId !== client.clientId) {
    return refuse(400, 'invalid_grant', 'Malformed auth code.');
  }
  if (form.get('redirect_uri') !== code.redirectUri) {
    return refuse(400, 'redirect_uri_mismatch', 'Bad Request');
  }
  if (code.codeChallenge !== undefined) {
    const verifier = form.get('code_verifier');
    if (verifier === null) return refuse(400, 'invalid_grant', 'Missing code verifier.');
    if (!sameText(pkceChallenge(verifier), code.codeChallenge)) {
      return refuse(400, 'invalid_grant', 'Invalid code verifier.');
    }
  }

  const grant = context.store.grants.get(grantKey(code.userId, client.clientId));
  if (!grant) return refuse(400, 'invalid_grant', 'Token has been expired or revoked.');
  const body = userTokens(grant, code.scopes, context);
  if (code.issueRefreshToken) body.refresh_token = context.store.issueRefreshToken(grant);
  return { status: 200, body };
}

/** `grant_type=refresh_token`. */
export function refreshTokenGrant(
  form: URLSearchParams,
  client: OAuthClient,
  context: UserGrantContext,
): TokenAnswer {
  const grant = context.store.grantOfRefreshToken(form.get('refresh_token') ?? '');
  if (!grant || grant.clientId !== client.clientId) {
    return refuse(400, 'invalid_grant', 'Token has been expired or revoked.');
  }
  return { status: 200, body: userTokens(grant, [...grant.scopes], context) };
}

function userTokens(
  grant: Grant,
  scopes: readonly string[],
  context: UserGrantContext,
): Record<string, unknown> {
  const user = context.users.find((candidate) => candidate.id === grant.userId);
  const email = user?.email ?? '';
  const accessToken = context.store.issueAccessToken(
    {
      principal: 'user',
      clientId: grant.clientId,
      scopes,
      email,
      sub: grant.userId,
      delegated: false,
      grantKey: grantKey(grant.userId, grant.clientId),
    },
    context.now,
    context.ttlSeconds,
  );
  const body: Record<string, unknown> = {
    access_token: accessToken,
    expires_in: context.ttlSeconds,
    token_type: 'Bearer',
    scope: scopes.join(' '),
  };
  if (scopes.includes('openid')) {
    body.id_token = idToken(grant, scopes.includes(EMAIL_SCOPE) ? email : undefined, user, context);
  }
  return body;
}

function idToken(
  grant: Grant,
  email: string | undefined,
  user: OAuthUser | undefined,
  context: UserGrantContext,
): string {
  const key = context.googleKey();
  const iat = Math.floor(context.now / 1000);
  const claims: Record<string, unknown> = {
    iss: context.issuer,
    azp: grant.clientId,
    aud: grant.clientId,
    sub: grant.userId,
    iat,
    exp: iat + 3600,
  };
  // Like Google, the address is in the ID token only when the email scope was granted.
  if (email !== undefined) Object.assign(claims, { email, email_verified: true });
  if (user?.domain !== undefined) claims.hd = user.domain;
  return signJwt(claims, key.privateKey, { kid: key.kid });
}
