/**
 * The start of a sign-in: a fresh `state` and PKCE verifier stored with the
 * Chat user, Chat's redirect URL and the scopes asked for, and the Google
 * authorization URL the user is sent to. Only the scopes a feature lacks are
 * asked for, plus `openid` to learn who signs in; `include_granted_scopes`
 * keeps what was granted before (incremental authorization).
 * https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
 */
import type { Clock } from '../clock.js';
import { invalidInput } from '../errors.js';
import { SCOPE, normalizeScope } from '../scopes/catalogue.js';
import { codeChallenge, newCodeVerifier, newState } from './pkce.js';
import type { StateStore } from './state-store.js';

/** Settings and collaborators of {@link createSignInStarter}. */
export interface SignInOptions {
  /** Google's authorization endpoint (OAUTH_AUTH_URL). */
  readonly authUrl: string;
  readonly clientId: string;
  /** The URL of `oauthCallback` (OAUTH_REDIRECT_URL). */
  readonly redirectUrl: string;
  readonly stateTtlSeconds: number;
  /** Origins Chat's redirect URLs may have (CHAT_REDIRECT_ORIGINS). */
  readonly chatRedirectOrigins: readonly string[];
  readonly states: StateStore;
  readonly clock: Clock;
}

/** A sign-in to start. */
export interface SignInRequest {
  /** The Chat user, `users/{id}`. */
  readonly userId: string;
  /** The user's address, if Chat gave it: a hint for Google's account chooser. */
  readonly email?: string;
  /** Chat's `configCompleteRedirectUrl` (or `Uri`); absent for interactions without one. */
  readonly chatRedirectUrl?: string;
  /** The scopes to ask for (canonical or short names); `openid` is always added. */
  readonly scopes: readonly string[];
  /** Whether a refresh token is stored for the user; without one, consent is forced. */
  readonly hasRefreshToken: boolean;
}

/** Starts sign-ins; returns the authorization URL. */
export type SignInStarter = (request: SignInRequest) => Promise<string>;

/** True when `url` is one of Chat's own redirect URLs (by origin). */
export function isChatRedirect(url: string, origins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  return origins.some((origin) => {
    try {
      return new URL(origin).origin === parsed.origin;
    } catch {
      return false;
    }
  });
}

/** Builds the sign-in starter. */
export function createSignInStarter(options: SignInOptions): SignInStarter {
  return async (request) => {
    const chatRedirectUrl = request.chatRedirectUrl ?? '';
    if (chatRedirectUrl !== '' && !isChatRedirect(chatRedirectUrl, options.chatRedirectOrigins)) {
      throw invalidInput('The interaction carried a redirect URL that is not Chat’s.');
    }
    const scopes = [...new Set([SCOPE.openid, ...request.scopes.map(normalizeScope)])].sort();
    const state = newState();
    const codeVerifier = newCodeVerifier();
    const now = options.clock.now();
    await options.states.save(state, {
      userId: request.userId,
      chatRedirectUrl,
      scopes,
      codeVerifier,
      createdAt: now,
      expireAt: new Date(now.getTime() + options.stateTtlSeconds * 1000),
    });

    const url = new URL(options.authUrl);
    const params: Record<string, string> = {
      client_id: options.clientId,
      redirect_uri: options.redirectUrl,
      response_type: 'code',
      scope: scopes.join(' '),
      state,
      code_challenge: codeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      access_type: 'offline',
      include_granted_scopes: 'true',
      login_hint: request.email ?? request.userId.replace(/^users\//, ''),
    };
    if (!request.hasRefreshToken) params['prompt'] = 'consent';
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  };
}
