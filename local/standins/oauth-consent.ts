/**
 * The OAuth stand-in's authorization endpoint: `GET /auth` renders a small
 * consent page (pick a user, untick scopes, Allow or Deny) whose form posts to
 * `POST /auth/decide`, which redirects back to the client like Google does.
 * Tests post to `/auth/decide` directly, so they and a browser share one path.
 * https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
 */
import type { ServerResponse } from 'node:http';
import type { OAuthUser } from './oauth-jwt-bearer.js';
import type { OAuthStore } from './oauth-store.js';
import type { OAuthClient } from './oauth-user-grants.js';

/** What the consent endpoints need from the stand-in. */
export interface ConsentContext {
  readonly store: OAuthStore;
  readonly clients: readonly OAuthClient[];
  readonly users: readonly OAuthUser[];
  readonly codeTtlSeconds: number;
  readonly now: number;
}

/** The parameters of an authorization request, carried through the consent form. */
const AUTH_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'access_type',
  'include_granted_scopes',
  'prompt',
  'login_hint',
] as const;

// Google reports these short names by their full URLs in granted scopes.
const SCOPE_ALIASES: Record<string, string> = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
};
// Sign-in scopes cannot be unticked on Google's granular consent screen.
const SIGN_IN_SCOPES = new Set(['openid', 'email', 'profile', ...Object.values(SCOPE_ALIASES)]);

const canonical = (scope: string): string => SCOPE_ALIASES[scope] ?? scope;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

function redirect(res: ServerResponse, target: string, params: Record<string, string>): void {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) {
    if (value !== '') url.searchParams.set(name, value);
  }
  res.writeHead(302, { location: url.toString() });
  res.end();
}

/** Checks client and redirect URI; on failure renders Google-like error page and returns undefined. */
function checkClient(
  params: URLSearchParams,
  context: ConsentContext,
  res: ServerResponse,
): { client: OAuthClient; redirectUri: string } | undefined {
  const client = context.clients.find((c) => c.clientId === params.get('client_id'));
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!client) {
    page(res, 401, 'Error 401: invalid_client', '<p>The OAuth client was not found.</p>');
    return undefined;
  }
  if (!client.redirectUris.includes(redirectUri)) {
    page(res, 400, 'Error 400: redirect_uri_mismatch', '<p>Unregistered redirect URI.</p>');
    return undefined;
  }
  return { client, redirectUri };
}

/** Problems that Google reports back to the redirect URI. */
function requestError(params: URLSearchParams): string | undefined {
  if (params.get('response_type') !== 'code') return 'unsupported_response_type';
  if (!params.get('scope')?.trim()) return 'invalid_request';
  const method = params.get('code_challenge_method');
  if (params.get('code_challenge') !== null && method !== 'S256') return 'invalid_request';
  return undefined;
}

/** `GET /auth`: the consent page. */
export function renderConsent(
  params: URLSearchParams,
  context: ConsentContext,
  res: ServerResponse,
): void {
  const checked = checkClient(params, context, res);
  if (!checked) return;
  const error = requestError(params);
  if (error) {
    redirect(res, checked.redirectUri, { error, state: params.get('state') ?? '' });
    return;
  }

  const hidden = AUTH_PARAMS.filter((name) => params.get(name) !== null)
    .map((name) => {
      const value = escapeHtml(params.get(name) ?? '');
      return `<input type="hidden" name="${name}" value="${value}">`;
    })
    .join('');
  const hint = params.get('login_hint');
  const options = context.users
    .map((user) => {
      const selected = user.email === hint || user.id === hint ? ' selected' : '';
      return `<option value="${escapeHtml(user.id)}"${selected}>${escapeHtml(user.email)}</option>`;
    })
    .join('');
  const scopes = (params.get('scope') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((scope) => {
      const safe = escapeHtml(scope);
      return `<label><input type="checkbox" name="granted" value="${safe}" checked> ${safe}</label><br>`;
    })
    .join('');
  page(
    res,
    200,
    `Sign in to ${checked.client.clientId}`,
    `<form method="post" action="/auth/decide">${hidden}` +
      `<p><label>Account <select name="user">${options}</select></label></p>` +
      `<fieldset><legend>Allow access to</legend>${scopes}</fieldset>` +
      `<button name="decision" value="allow">Allow</button> ` +
      `<button name="decision" value="deny">Deny</button></form>`,
  );
}

/** `POST /auth/decide`: records the consent and redirects with a code, or with `access_denied`. */
export function decideConsent(
  form: URLSearchParams,
  context: ConsentContext,
  res: ServerResponse,
): void {
  const checked = checkClient(form, context, res);
  if (!checked) return;
  const state = form.get('state') ?? '';
  const error = requestError(form);
  if (error) return redirect(res, checked.redirectUri, { error, state });
  if (form.get('decision') !== 'allow') {
    return redirect(res, checked.redirectUri, { error: 'access_denied', state });
  }
  const user = context.users.find((u) => u.id === form.get('user') || u.email === form.get('user'));
  if (!user) return page(res, 400, 'Error 400: unknown account', '<p>No such user.</p>');

  const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
  const ticked = new Set(form.getAll('granted'));
  const consented = requested
    .filter((scope) => ticked.has(scope) || SIGN_IN_SCOPES.has(scope))
    .map(canonical);
  const grant = context.store.grantOf(user.id, checked.client.clientId);
  const isNew = consented.some((scope) => !grant.scopes.has(scope));
  for (const scope of consented) grant.scopes.add(scope);
  const scopes =
    form.get('include_granted_scopes') === 'true' ? [...grant.scopes] : [...new Set(consented)];

  const prompt = (form.get('prompt') ?? '').split(' ');
  const offline = form.get('access_type') === 'offline';
  const code = context.store.issueCode(
    {
      clientId: checked.client.clientId,
      redirectUri: checked.redirectUri,
      userId: user.id,
      scopes,
      ...(form.get('code_challenge') !== null && {
        codeChallenge: form.get('code_challenge') ?? '',
      }),
      issueRefreshToken:
        offline && (isNew || prompt.includes('consent') || grant.refreshTokens.size === 0),
    },
    context.now,
    context.codeTtlSeconds,
  );
  redirect(res, checked.redirectUri, { code, scope: scopes.join(' '), state });
}
