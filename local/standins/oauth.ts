/**
 * Local stand-in of Google's OAuth 2.0 endpoints: token (JWT-bearer with
 * delegation, authorization code with PKCE, refresh), authorization (consent
 * page), revocation and tokeninfo. Tests and `npm start` point the code at it.
 *
 * `GET /tokeninfo?access_token=T` is the contract the Chat API stand-in uses:
 * 200 `{azp, aud, scope, exp, expires_in, email, sub?, delegated?, principal}`
 * (`exp` and `expires_in` are strings, as Google's are; `principal` is
 * `app` for a service account's own token, `user` for user and delegated
 * tokens), or 400 `{error: 'invalid_token'}` when unknown, expired or revoked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { SigningKey } from './keys.js';
import { decideConsent, renderConsent, type ConsentContext } from './oauth-consent.js';
import {
  jwtBearerGrant,
  type OAuthUser,
  type RegisteredServiceAccount,
  type TokenAnswer,
} from './oauth-jwt-bearer.js';
import { OAuthStore } from './oauth-store.js';
import {
  authenticateClient,
  authorizationCodeGrant,
  refreshTokenGrant,
  type OAuthClient,
  type UserGrantContext,
} from './oauth-user-grants.js';
import { listen, readForm, requestUrl, sendJson, type StandIn } from './standin.js';

export type { OAuthUser } from './oauth-jwt-bearer.js';
export type { OAuthClient } from './oauth-user-grants.js';
export { GOOGLE_TOKEN_URL } from './oauth-jwt-bearer.js';
export { pkceChallenge } from './oauth-user-grants.js';

/** Options of {@link startOAuth}. */
export interface OAuthOptions {
  /** Signs ID tokens; a function follows key rotation (e.g. `() => certs.googleKey`). */
  readonly googleKey: SigningKey | (() => SigningKey);
  /** `iss` of ID tokens; default `https://accounts.google.com`. */
  readonly issuer?: string;
  readonly users?: readonly OAuthUser[];
  readonly clients?: readonly OAuthClient[];
  /** Default 3600. */
  readonly accessTokenTtlSeconds?: number;
  /** Lifetime of authorization codes; default 300. */
  readonly codeTtlSeconds?: number;
  readonly port?: number;
}

/** A service account key as the token endpoint registers it. */
export interface ServiceAccountRegistration {
  readonly client_email: string;
  readonly kid: string;
  readonly publicKey: KeyObject;
  /** Numeric client id (the `azp` of its tokens); defaults to the email. */
  readonly client_id?: string;
  /** Whether domain-wide delegation (`sub`) is allowed; default false. */
  readonly delegation?: boolean;
}

/** Request counts of the token endpoint. */
export interface OAuthCounts {
  readonly tokenRequests: number;
  /** By `grant_type` as sent (e.g. `authorization_code`). */
  readonly byGrant: Record<string, number>;
}

/** The running OAuth stand-in and its controls. */
export interface OAuthStandIn extends StandIn {
  /** `${url}/token`. */
  readonly tokenUrl: string;
  /** `${url}/o/oauth2/v2/auth`. */
  readonly authUrl: string;
  /** `${url}/revoke`. */
  readonly revokeUrl: string;
  /** `${url}/tokeninfo`. */
  readonly tokenInfoUrl: string;
  /** Known users; push to add one. */
  readonly users: OAuthUser[];
  /** Registered OAuth clients; push to add one. */
  readonly clients: OAuthClient[];
  /** Adds a service account key (a second call for the same email adds a key). */
  registerServiceAccount(key: ServiceAccountRegistration): void;
  /** Revokes a service account key: its assertions then fail with `Invalid JWT Signature.`. */
  revokeKey(kid: string): void;
  /** The next `count` token requests answer `status` with an error body. */
  failNext(count: number, status?: number): void;
  counts(): OAuthCounts;
  /** Makes every issued access token expired (refresh tests). */
  expireAccessTokens(): void;
}

/** Starts the OAuth stand-in on 127.0.0.1. */
export async function startOAuth(options: OAuthOptions): Promise<OAuthStandIn> {
  const store = new OAuthStore();
  const users = [...(options.users ?? [])];
  const clients = [...(options.clients ?? [])];
  const serviceAccounts = new Map<string, RegisteredServiceAccount>();
  const googleKey = options.googleKey;
  const ttlSeconds = options.accessTokenTtlSeconds ?? 3600;
  const byGrant: Record<string, number> = {};
  let tokenRequests = 0;
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  let url = '';

  const userContext = (now: number): UserGrantContext => ({
    store,
    clients,
    users,
    issuer: options.issuer ?? 'https://accounts.google.com',
    googleKey: typeof googleKey === 'function' ? googleKey : () => googleKey,
    ttlSeconds,
    now,
  });
  const consentContext = (now: number): ConsentContext => ({
    store,
    clients,
    users,
    codeTtlSeconds: options.codeTtlSeconds ?? 300,
    now,
  });

  const token = async (req: IncomingMessage): Promise<TokenAnswer> => {
    const form = await readForm(req);
    const grantType = form.get('grant_type') ?? '';
    tokenRequests += 1;
    byGrant[grantType] = (byGrant[grantType] ?? 0) + 1;
    if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      const body = { error: 'internal_failure', error_description: 'Injected failure.' };
      return { status: failures.status, body };
    }

    const now = Date.now();
    if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const context = { store, serviceAccounts, users, ownTokenUrl: `${url}/token`, ttlSeconds };
      return jwtBearerGrant(form.get('assertion') ?? '', { ...context, now });
    }
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return {
        status: 400,
        body: {
          error: 'unsupported_grant_type',
          error_description: 'Invalid grant_type: ' + grantType,
        },
      };
    }
    const client = authenticateClient(req, form, clients);
    if (!client) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
    }
    return grantType === 'authorization_code'
      ? authorizationCodeGrant(form, client, userContext(now))
      : refreshTokenGrant(form, client, userContext(now));
  };

  const tokenInfo = (accessToken: string, res: ServerResponse): void => {
    const now = Date.now();
    const record = store.liveAccessToken(accessToken, now);
    if (!record) {
      sendJson(res, 400, { error: 'invalid_token', error_description: 'Invalid Value' });
      return;
    }
    const exp = Math.floor(record.expiresAt / 1000);
    sendJson(res, 200, {
      azp: record.clientId,
      aud: record.clientId,
      ...(record.sub !== undefined && { sub: record.sub }),
      scope: record.scopes.join(' '),
      exp: String(exp),
      expires_in: String(Math.max(0, exp - Math.floor(now / 1000))),
      email: record.email,
      email_verified: 'true',
      ...(record.delegated && { delegated: 'true' }),
      principal: record.principal,
    });
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requested = requestUrl(req);
    const route = `${req.method} ${requested.pathname}`;
    if (route === 'POST /token') {
      const answer = await token(req);
      sendJson(res, answer.status, answer.body, { 'cache-control': 'no-store' });
    } else if (route === 'GET /auth' || route === 'GET /o/oauth2/v2/auth') {
      renderConsent(requested.searchParams, consentContext(Date.now()), res);
    } else if (route === 'POST /auth/decide') {
      decideConsent(await readForm(req), consentContext(Date.now()), res);
    } else if (route === 'POST /revoke') {
      const form = await readForm(req);
      const revoked = store.revoke(requested.searchParams.get('token') ?? form.get('token') ?? '');
      if (revoked) sendJson(res, 200, {});
      else
        sendJson(res, 400, {
          error: 'invalid_token',
          error_description: 'Token expired or revoked',
        });
    } else if (route === 'GET /tokeninfo' || route === 'POST /tokeninfo') {
      // OAuth2Client.getTokenInfo posts the token as a bearer header.
      const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();
      const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const accessToken = requested.searchParams.get('access_token') ?? form.get('access_token');
      tokenInfo(accessToken ?? bearer ?? '', res);
    } else {
      sendJson(res, 404, { error: 'not_found', error_description: `No route ${route}` });
    }
  };

  const server = await listen(handler, options.port);
  url = server.url;
  return {
    url,
    close: () => server.close(),
    tokenUrl: `${url}/token`,
    authUrl: `${url}/o/oauth2/v2/auth`,
    revokeUrl: `${url}/revoke`,
    tokenInfoUrl: `${url}/tokeninfo`,
    users,
    clients,
    registerServiceAccount(key) {
      const account = serviceAccounts.get(key.client_email) ?? {
        clientEmail: key.client_email,
        clientId: key.client_id ?? key.client_email,
        keys: new Map<string, KeyObject>(),
        delegation: false,
      };
      account.keys.set(key.kid, key.publicKey);
      account.delegation = key.delegation ?? account.delegation;
      serviceAccounts.set(key.client_email, account);
    },
    revokeKey(kid) {
      for (const account of serviceAccounts.values()) account.keys.delete(kid);
    },
    failNext(count, status = 503) {
      failures = { count, status };
    },
    counts: () => ({ tokenRequests, byGrant: { ...byGrant } }),
    expireAccessTokens() {
      for (const record of store.accessTokens.values()) record.expiresAt = 0;
    },
  };
}
