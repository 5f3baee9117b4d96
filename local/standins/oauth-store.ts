/**
 * What the OAuth stand-in remembers: issued access tokens, user grants (the
 * scopes a user consented to for a client, and their refresh tokens) and
 * pending authorization codes. Plain maps; one store per stand-in.
 */
import { randomBytes } from 'node:crypto';

/** Whose authority an access token carries. */
export type Principal = 'app' | 'user';

/** An issued access token. */
export interface AccessTokenRecord {
  readonly principal: Principal;
  /** The OAuth client (or service account client id) the token was issued to. */
  readonly clientId: string;
  readonly scopes: readonly string[];
  expiresAt: number;
  /** The service account (app tokens) or user (user and delegated tokens). */
  readonly email: string;
  /** The user's numeric id; absent for app tokens. */
  readonly sub?: string;
  readonly delegated: boolean;
  /** Key of the user grant it came from, for revocation. */
  readonly grantKey?: string;
}

/** A user's consent to a client: the union of every scope granted so far. */
export interface Grant {
  readonly userId: string;
  readonly clientId: string;
  readonly scopes: Set<string>;
  readonly refreshTokens: Set<string>;
}

/** A pending authorization code. */
export interface CodeRecord {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly userId: string;
  /** Scopes of the grant after this consent (incremental union applied). */
  readonly scopes: readonly string[];
  readonly codeChallenge?: string;
  /** Whether the token response carries a refresh token. */
  readonly issueRefreshToken: boolean;
  readonly expiresAt: number;
}

const opaque = (prefix: string): string => prefix + randomBytes(32).toString('base64url');

/** The stand-in's memory of tokens, grants and codes. */
export class OAuthStore {
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly grants = new Map<string, Grant>();
  readonly refreshTokens = new Map<string, string>();
  readonly codes = new Map<string, CodeRecord>();

  /** Issues an access token that lives `ttlSeconds` from `now`. */
  issueAccessToken(
    record: Omit<AccessTokenRecord, 'expiresAt'>,
    now: number,
    ttlSeconds: number,
  ): string {
    const token = opaque('ya29.');
    this.accessTokens.set(token, { ...record, expiresAt: now + ttlSeconds * 1000 });
    return token;
  }

  /** The live access token record, or `undefined` when unknown or expired. */
  liveAccessToken(token: string, now: number): AccessTokenRecord | undefined {
    const record = this.accessTokens.get(token);
    return record && record.expiresAt > now ? record : undefined;
  }

  /** The grant of `userId` to `clientId`, created empty when missing. */
  grantOf(userId: string, clientId: string): Grant {
    const key = grantKey(userId, clientId);
    let grant = this.grants.get(key);
    if (!grant) {
      grant = { userId, clientId, scopes: new Set(), refreshTokens: new Set() };
      this.grants.set(key, grant);
    }
    return grant;
  }

  /** Issues a refresh token bound to `grant`. */
  issueRefreshToken(grant: Grant): string {
    const token = opaque('1//');
    grant.refreshTokens.add(token);
    this.refreshTokens.set(token, grantKey(grant.userId, grant.clientId));
    return token;
  }

  /** The grant a refresh token belongs to, or `undefined` when revoked or unknown. */
  grantOfRefreshToken(token: string): Grant | undefined {
    const key = this.refreshTokens.get(token);
    return key === undefined ? undefined : this.grants.get(key);
  }

  /** Stores a code that expires `ttlSeconds` from `now`. */
  issueCode(record: Omit<CodeRecord, 'expiresAt'>, now: number, ttlSeconds: number): string {
    const code = opaque('4/');
    this.codes.set(code, { ...record, expiresAt: now + ttlSeconds * 1000 });
    return code;
  }

  /** Takes a code out (single use); `undefined` when unknown, used or expired. */
  takeCode(code: string, now: number): CodeRecord | undefined {
    const record = this.codes.get(code);
    this.codes.delete(code);
    return record && record.expiresAt > now ? record : undefined;
  }

  /**
   * Revokes a token as Google does: a user token (access or refresh) ends
   * the whole grant with all its tokens; an app token ends only itself.
   * Returns false when the token is unknown.
   */
  revoke(token: string): boolean {
    const access = this.accessTokens.get(token);
    const key = this.refreshTokens.get(token) ?? access?.grantKey;
    if (key !== undefined) {
      this.revokeGrant(key);
      return true;
    }
    return this.accessTokens.delete(token);
  }

  private revokeGrant(key: string): void {
    const grant = this.grants.get(key);
    for (const refresh of grant?.refreshTokens ?? []) this.refreshTokens.delete(refresh);
    for (const [token, record] of this.accessTokens) {
      if (record.grantKey === key) this.accessTokens.delete(token);
    }
    this.grants.delete(key);
  }
}

/** The map key of a user grant. */
export function grantKey(userId: string, clientId: string): string {
  return `${userId} ${clientId}`;
}
