/**
 * The end of a sign-in, behind `oauthCallback`: Google sends the browser
 * back with `code` and `state` (or `error`). The state is consumed once and
 * checked for expiry; the code is exchanged with the PKCE verifier; the ID
 * token is verified and its `sub` must be the Chat user who started the
 * sign-in BEFORE anything is stored; then the grant is stored and the
 * browser goes back to Chat's redirect URL, checked again to be Chat's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpacelogError, toSpacelogError } from '../errors.js';
import { recordSignIn, type GrantDeps } from './grants.js';
import type { IdTokenVerifier } from './id-token.js';
import { pageStatus, renderPage, type CallbackPage } from './pages.js';
import { stateKey } from './pkce.js';
import { isChatRedirect } from './sign-in.js';
import type { StateStore } from './state-store.js';
import type { TokenEndpoint } from './token-endpoint.js';

/** Collaborators and settings of the callback. */
export interface CallbackDeps extends GrantDeps {
  readonly states: StateStore;
  readonly endpoint: TokenEndpoint;
  readonly idTokens: IdTokenVerifier;
  /** Our own callback URL, sent again with the code exchange (OAUTH_REDIRECT_URL). */
  readonly redirectUrl: string;
  readonly chatRedirectOrigins: readonly string[];
}

/** What the callback answers: back to Chat, or a page. */
export type CallbackResult =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'page'; readonly page: CallbackPage };

const page = (p: CallbackPage): CallbackResult => ({ kind: 'page', page: p });

/** Completes sign-ins from the callback's query parameters. */
export function createSignInCompleter(
  deps: CallbackDeps,
): (query: URLSearchParams) => Promise<CallbackResult> {
  const log = deps.logger.child({ component: 'oauthCallback' });

  return async (query) => {
    const state = query.get('state') ?? '';
    if (state === '' || state.length > 256) return page('bad-request');
    const consumed = await deps.states.consume(state, deps.clock.now());
    if (consumed.status !== 'valid') {
      log.info('Sign-in state refused.', { outcome: consumed.status });
      return page('expired');
    }
    const { pending } = consumed;
    const userLog = log.child({ userId: pending.userId });

    const error = query.get('error');
    if (error !== null) {
      userLog.info('Sign-in not granted.', { oauthError: error.slice(0, 64) });
      return page(error === 'access_denied' ? 'denied' : 'bad-request');
    }
    const code = query.get('code') ?? '';
    if (code === '') return page('bad-request');

    let tokens;
    try {
      tokens = await deps.endpoint.exchangeCode(code, pending.codeVerifier, deps.redirectUrl);
    } catch (err) {
      const coded = toSpacelogError(err);
      userLog.warn('Code exchange failed.', { error: coded });
      return page(coded.code === 'forbidden' ? 'expired' : 'unavailable');
    }

    if (tokens.idToken === undefined) {
      userLog.warn('Token response without an ID token: identity unknown, nothing stored.');
      return page('wrong-account');
    }
    const account = await deps.idTokens.verify(tokens.idToken).catch((err: unknown) => {
      userLog.warn('ID token refused, nothing stored.', { error: toSpacelogError(err) });
      return undefined;
    });
    if (account === undefined || `users/${account.sub}` !== pending.userId) {
      userLog.warn('Signed in with another account than the Chat user, nothing stored.');
      return page('wrong-account');
    }

    const outcome = await recordSignIn(deps, {
      userId: pending.userId,
      tokens,
      requestedScopes: pending.scopes,
      eventId: `grant:${stateKey(state)}`,
    });
    if (outcome.status === 'no-refresh-token') return page('no-offline-access');

    const back = pending.chatRedirectUrl;
    if (back === '') return page('signed-in');
    if (!isChatRedirect(back, deps.chatRedirectOrigins)) return page('bad-request');
    return { kind: 'redirect', location: back };
  };
}

/**
 * The HTTP handler of `oauthCallback`, for the functions framework or a
 * plain `node:http` server: GET only, answers never cached or framed.
 */
export function createCallbackHandler(
  deps: CallbackDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const complete = createSignInCompleter(deps);
  return async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    if (req.method !== 'GET') {
      res.statusCode = 405;
      res.setHeader('allow', 'GET');
      res.end();
      return;
    }

    let result: CallbackResult;
    try {
      result = await complete(new URL(req.url ?? '/', 'http://callback.invalid').searchParams);
    } catch (err) {
      const coded = toSpacelogError(err);
      deps.logger.error('Sign-in failed.', { error: coded });
      result = page(
        coded instanceof SpacelogError && coded.code === 'invalid-input'
          ? 'bad-request'
          : 'unavailable',
      );
    }

    if (result.kind === 'redirect') {
      res.statusCode = 302;
      res.setHeader('location', result.location);
      res.end();
      return;
    }
    res.statusCode = pageStatus(result.page);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(renderPage(result.page));
  };
}
