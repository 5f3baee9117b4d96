import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCerts, type CertsStandIn } from '../../local/standins/certs.js';
import { startOAuth, type OAuthStandIn } from '../../local/standins/oauth.js';

const CHAT_SPACES = 'https://www.googleapis.com/auth/chat.spaces';
const CHAT_REACTIONS = 'https://www.googleapis.com/auth/chat.messages.reactions.create';
const EMAIL = 'https://www.googleapis.com/auth/userinfo.email';
const ALICE = { id: '222222222222222222222', email: 'alice@example.test' };
const BOB = { id: '333333333333333333333', email: 'bob@example.test' };
const CLIENT = {
  clientId: 'spacelog-web.apps.example.test',
  clientSecret: 'local-client-secret',
  redirectUris: ['https://spacelog.example.test/oauth/callback'],
};
const REDIRECT = CLIENT.redirectUris[0] ?? '';

let certs: CertsStandIn;
let oauth: OAuthStandIn;

function oauthClient(): OAuth2Client {
  return new OAuth2Client({
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    redirectUri: REDIRECT,
    endpoints: {
      oauth2AuthBaseUrl: oauth.authUrl,
      oauth2TokenUrl: oauth.tokenUrl,
      oauth2RevokeUrl: oauth.revokeUrl,
      tokenInfoUrl: oauth.tokenInfoUrl,
      oauth2FederatedSignonPemCertsUrl: certs.googleCertsUrl,
      oauth2FederatedSignonJwkCertsUrl: certs.googleJwksUrl,
    },
  });
}

/** Obtains an access token from a refresh token alone, as a stored grant would. */
async function refreshWith(refreshToken: string) {
  const client = oauthClient();
  client.setCredentials({ refresh_token: refreshToken });
  const { token } = await client.getAccessToken();
  return { token };
}

interface Consent {
  readonly user: string;
  readonly granted?: readonly string[];
  readonly decision?: 'allow' | 'deny';
}

/** Follows the authorization URL through the consent form as a browser would; returns the redirect. */
async function consent(authUrl: string, choice: Consent): Promise<URL> {
  const page = await fetch(authUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('action="/auth/decide"');

  const form = new URLSearchParams(new URL(authUrl).searchParams);
  form.set('user', choice.user);
  form.set('decision', choice.decision ?? 'allow');
  const requested = (form.get('scope') ?? '').split(' ');
  for (const scope of choice.granted ?? requested) form.append('granted', scope);
  const decided = await fetch(`${oauth.url}/auth/decide`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(decided.status).toBe(302);
  return new URL(decided.headers.get('location') ?? '');
}

async function signIn(client: OAuth2Client, scope: string[], choice: Consent, extra = {}) {
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({
    scope,
    state: 'state-123',
    access_type: 'offline',
    include_granted_scopes: true,
    code_challenge: codeChallenge,
    code_challenge_method: CodeChallengeMethod.S256,
    ...extra,
  });
  const back = await consent(url, choice);
  return { back, code: back.searchParams.get('code') ?? '', codeVerifier };
}

beforeAll(async () => {
  certs = await startCerts();
  oauth = await startOAuth({
    googleKey: () => certs.googleKey,
    users: [ALICE, BOB],
    clients: [CLIENT],
  });
});

afterAll(async () => {
  await oauth.close();
  await certs.close();
});

describe('OAuth stand-in, authorization code flow with PKCE', () => {
  it('issues a verifiable ID token, a partial grant, refreshes, and stops after revocation', async () => {
    const client = oauthClient();
    const { back, code, codeVerifier } = await signIn(
      client,
      ['openid', 'email', CHAT_SPACES, CHAT_REACTIONS],
      { user: ALICE.id, granted: ['openid', 'email', CHAT_SPACES] },
    );
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('state-123');

    const { tokens } = await client.getToken({ code, codeVerifier });
    expect(tokens.scope?.split(' ').sort()).toEqual([CHAT_SPACES, 'openid', EMAIL].sort());
    expect(tokens.refresh_token).toBeTruthy();

    const ticket = await client.verifyIdToken({
      idToken: tokens.id_token ?? '',
      audience: CLIENT.clientId,
    });
    expect(ticket.getPayload()).toMatchObject({
      sub: ALICE.id,
      email: ALICE.email,
      email_verified: true,
    });

    const refreshed = await refreshWith(tokens.refresh_token ?? '');
    expect(refreshed.token).toBeTruthy();
    expect(refreshed.token).not.toBe(tokens.access_token);
    const raw = await fetch(oauth.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      }),
    });
    const rawBody = (await raw.json()) as Record<string, unknown>;
    expect(rawBody).not.toHaveProperty('refresh_token');
    expect(rawBody.scope).toBe(tokens.scope);
    expect(oauth.counts().byGrant.refresh_token).toBe(2);

    await client.revokeToken(tokens.refresh_token ?? '');
    await expect(refreshWith(tokens.refresh_token ?? '')).rejects.toThrow(/invalid_grant/);
    const info = await fetch(`${oauth.tokenInfoUrl}?access_token=${refreshed.token ?? ''}`);
    expect(info.status).toBe(400);
  });

  it('adds scopes incrementally and keeps earlier ones; no new refresh token on a repeat', async () => {
    const client = oauthClient();
    const first = await signIn(client, ['openid', CHAT_SPACES], { user: BOB.email });
    const firstTokens = (await client.getToken(first)).tokens;
    expect(firstTokens.refresh_token).toBeTruthy();

    const more = await signIn(client, [CHAT_REACTIONS], { user: BOB.email });
    const moreTokens = (await client.getToken(more)).tokens;
    expect(moreTokens.scope?.split(' ').sort()).toEqual(
      ['openid', CHAT_SPACES, CHAT_REACTIONS].sort(),
    );
    expect(moreTokens.refresh_token).toBeTruthy();

    const again = await signIn(client, [CHAT_REACTIONS], { user: BOB.email });
    const againTokens = (await client.getToken(again)).tokens;
    expect(againTokens).not.toHaveProperty('refresh_token');

    const info = await client.getTokenInfo(againTokens.access_token ?? '');
    expect(info).toMatchObject({ sub: BOB.id, email: BOB.email });
    expect(info.scopes).toContain(CHAT_SPACES);
  });

  it('refuses a wrong code verifier, then the reused code', async () => {
    const client = oauthClient();
    const { code } = await signIn(client, ['openid'], { user: ALICE.id });
    const wrong = await client.generateCodeVerifierAsync();
    await expect(client.getToken({ code, codeVerifier: wrong.codeVerifier })).rejects.toThrow(
      /invalid_grant/,
    );

    const fresh = await signIn(client, ['openid'], { user: ALICE.id });
    await expect(client.getToken(fresh)).resolves.toHaveProperty('tokens.access_token');
    await expect(client.getToken(fresh)).rejects.toThrow(/invalid_grant/);
  });

  it('redirects with access_denied when the user denies, and refuses unknown redirect URIs', async () => {
    const client = oauthClient();
    const { back } = await signIn(client, [CHAT_SPACES], { user: ALICE.id, decision: 'deny' });
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();

    const url = new URL(client.generateAuthUrl({ scope: [CHAT_SPACES] }));
    url.searchParams.set('redirect_uri', 'https://attacker.example.test/cb');
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
  });

  it('refuses a token request with the wrong client secret', async () => {
    const client = oauthClient();
    const { code, codeVerifier } = await signIn(client, ['openid'], { user: ALICE.id });
    const res = await fetch(oauth.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: codeVerifier,
        client_id: CLIENT.clientId,
        client_secret: 'wrong',
        redirect_uri: REDIRECT,
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });
});
