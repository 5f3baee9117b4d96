/**
 * Who is calling the Chat API stand-in: the bearer token is looked up through
 * a `tokenInfo` function (by default the OAuth stand-in's `/tokeninfo`), and
 * the answer decides app or user authentication and the granted scopes.
 * Answers are cached briefly under a hash of the token; tokens are never kept.
 */
import { createHash } from 'node:crypto';
import { shortScope } from './scopes.js';

/** What a token-info endpoint says about an access token. */
export interface TokenInfo {
  readonly azp?: string;
  readonly aud?: string;
  /** Space-separated scopes, as URLs or short names. */
  readonly scope: string;
  readonly exp?: string | number;
  readonly expires_in?: string | number;
  readonly email?: string;
  /** The user's numeric id, for user and delegated tokens. */
  readonly sub?: string;
  readonly delegated?: string;
  readonly principal?: 'app' | 'user';
}

/** Looks a token up; `undefined` when the token is unknown, expired or revoked. */
export type TokenInfoLookup = (token: string) => Promise<TokenInfo | undefined>;

/** An authenticated caller. */
export interface Caller {
  /** `app`: app auth; `user`: user auth or delegation; `webhook`: an incoming webhook. */
  readonly kind: 'app' | 'user' | 'webhook';
  /** `users/…` of the sender: the app's user, the user, or the webhook. */
  readonly user: string;
  /** Granted scopes as short names (`chat.bot`). */
  readonly scopes: ReadonlySet<string>;
  /** The user's or service account's email, when the token says it. */
  readonly email?: string;
}

/** Builds the default lookup: `GET {oauthUrl}/tokeninfo?access_token=`. */
export function tokenInfoFromUrl(oauthUrl: string): TokenInfoLookup {
  const base = oauthUrl.replace(/\/$/, '');
  return async (token) => {
    const res = await fetch(`${base}/tokeninfo?access_token=${encodeURIComponent(token)}`);
    if (res.status !== 200) {
      await res.body?.cancel();
      return undefined;
    }
    return (await res.json()) as TokenInfo;
  };
}

/** Wraps a lookup with a short cache of positive answers, keyed by a token hash. */
export function cachedTokenInfo(lookup: TokenInfoLookup, ttlMs = 10_000): TokenInfoLookup {
  const cache = new Map<string, { info: TokenInfo; until: number }>();
  return async (token) => {
    const key = createHash('sha256').update(token).digest('base64url');
    const now = performance.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.info;
    cache.delete(key);
    const info = await lookup(token);
    if (info) {
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { info, until: now + ttlMs });
    }
    return info;
  };
}

/**
 * The caller a token stands for. Delegated and user tokens are user auth,
 * named `users/{sub}`; anything else is the app.
 */
export function callerOf(info: TokenInfo, appUser: string): Caller {
  const scopes = new Set(info.scope.split(/\s+/).filter(Boolean).map(shortScope));
  const isUser = info.principal === 'user' || info.delegated === 'true';
  const email = info.email ? { email: info.email } : {};
  if (!isUser) return { kind: 'app', user: appUser, scopes, ...email };
  return { kind: 'user', user: `users/${info.sub ?? info.email ?? 'unknown'}`, scopes, ...email };
}

/** The bearer token of an Authorization header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
