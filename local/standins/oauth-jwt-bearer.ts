/**
 * The JWT-bearer grant of the OAuth stand-in: a service account's signed
 * assertion, optionally with `sub` (domain-wide delegation), exchanged for an
 * access token. Refusals use Google's token endpoint error bodies.
 * https://developers.google.com/identity/protocols/oauth2/service-account#httprest
 */
import type { KeyObject } from 'node:crypto';
import { decodeJwt, verifyRs256 } from './jwt.js';
import type { OAuthStore } from './oauth-store.js';

/** Google's token URL: the `aud` every google-auth-library assertion carries. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

const CHAT_BOT_SCOPE = 'https://www.googleapis.com/auth/chat.bot';
const CLOCK_SKEW_SECONDS = 60;
const MAX_ASSERTION_LIFETIME_SECONDS = 3600;

/** A service account as the token endpoint knows it. */
export interface RegisteredServiceAccount {
  readonly clientEmail: string;
  readonly clientId: string;
  /** Public keys by key id. */
  readonly keys: Map<string, KeyObject>;
  delegation: boolean;
}

/** A user the stand-ins know (a Google account). */
export interface OAuthUser {
  /** The numeric Google account id, as a string: Chat's `users/{id}`. */
  readonly id: string;
  readonly email: string;
  readonly domain?: string;
}

/** What the grant needs from the stand-in. */
export interface JwtBearerContext {
  readonly store: OAuthStore;
  readonly serviceAccounts: ReadonlyMap<string, RegisteredServiceAccount>;
  readonly users: readonly OAuthUser[];
  /** This server's own token URL, also accepted as `aud`. */
  readonly ownTokenUrl: string;
  readonly ttlSeconds: number;
  readonly now: number;
}

/** A token endpoint answer: status and JSON body. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const refuse = (error: string, description: string): TokenAnswer => ({
  status: 400,
  body: { error, error_description: description },
});

const BAD_SIGNATURE = refuse('invalid_grant', 'Invalid JWT Signature.');

function candidateKeys(account: RegisteredServiceAccount, kid: unknown): KeyObject[] {
  if (typeof kid === 'string') {
    const key = account.keys.get(kid);
    return key ? [key] : [];
  }
  // google-auth-library's assertions carry no `kid`: any registered key may match.
  return [...account.keys.values()];
}

/** Checks an assertion and issues an app or delegated access token. */
export function jwtBearerGrant(assertion: string, context: JwtBearerContext): TokenAnswer {
  const jwt = decodeJwt(assertion);
  if (!jwt) return refuse('invalid_grant', 'Invalid JWT: malformed assertion.');
  const { payload } = jwt;

  const account =
    typeof payload.iss === 'string' ? context.serviceAccounts.get(payload.iss) : undefined;
  if (!account) return BAD_SIGNATURE;
  const candidates = candidateKeys(account, jwt.header.kid);
  if (!candidates.some((key) => verifyRs256(jwt, key))) return BAD_SIGNATURE;

  if (payload.aud !== GOOGLE_TOKEN_URL && payload.aud !== context.ownTokenUrl) {
    return refuse('invalid_grant', 'Invalid JWT: audience is not the token endpoint.');
  }
  const nowSeconds = Math.floor(context.now / 1000);
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number') {
    return refuse('invalid_grant', 'Invalid JWT: exp and iat are required.');
  }
  if (
    exp <= nowSeconds - CLOCK_SKEW_SECONDS ||
    iat > nowSeconds + CLOCK_SKEW_SECONDS ||
    exp - iat > MAX_ASSERTION_LIFETIME_SECONDS
  ) {
    return refuse(
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
    );
  }

  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  if (scopes.length === 0) {
    return refuse('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  }

  const base = { clientId: account.clientId, scopes };
  if (payload.sub === undefined || payload.sub === account.clientEmail) {
    const token = context.store.issueAccessToken(
      { ...base, principal: 'app', email: account.clientEmail, delegated: false },
      context.now,
      context.ttlSeconds,
    );
    return issued(token, context.ttlSeconds);
  }

  if (scopes.includes(CHAT_BOT_SCOPE))
    return refuse('invalid_grant', 'chat.bot cannot be delegated');
  if (!account.delegation) {
    return refuse(
      'unauthorized_client',
      'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    );
  }
  const user = context.users.find((candidate) => candidate.email === payload.sub);
  if (!user) return refuse('invalid_grant', 'Invalid email or User ID');

  const token = context.store.issueAccessToken(
    { ...base, principal: 'user', email: user.email, sub: user.id, delegated: true },
    context.now,
    context.ttlSeconds,
  );
  return issued(token, context.ttlSeconds);
}

function issued(accessToken: string, ttlSeconds: number): TokenAnswer {
  return {
    status: 200,
    body: { access_token: accessToken, expires_in: ttlSeconds, token_type: 'Bearer' },
  };
}
