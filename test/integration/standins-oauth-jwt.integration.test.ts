import { JWT } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCerts, type CertsStandIn } from '../../local/standins/certs.js';
import { createServiceAccountKey, type ServiceAccountKey } from '../../local/standins/keys.js';
import { signJwt } from '../../local/standins/jwt.js';
import { GOOGLE_TOKEN_URL, startOAuth, type OAuthStandIn } from '../../local/standins/oauth.js';
import { redirectTokenRequests } from '../../local/standins/redirect.js';

const CHAT_BOT = 'https://www.googleapis.com/auth/chat.bot';
const CHAT_SPACES = 'https://www.googleapis.com/auth/chat.spaces';
const CHAT_MESSAGES = 'https://www.googleapis.com/auth/chat.messages.create';
const ALICE = { id: '111111111111111111111', email: 'alice@example.test', domain: 'example.test' };

let certs: CertsStandIn;
let oauth: OAuthStandIn;
let appKey: ServiceAccountKey;
let delegatingKey: ServiceAccountKey;

/** A JWT client whose token requests go to the local token endpoint. */
function jwtClient(key: ServiceAccountKey, scopes: string[], subject?: string): JWT {
  const client = new JWT({
    email: key.json.client_email,
    key: key.json.private_key,
    scopes,
    ...(subject !== undefined && { subject }),
  });
  redirectTokenRequests(client, oauth.tokenUrl);
  return client;
}

async function tokenInfo(
  accessToken: string,
): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${oauth.tokenInfoUrl}?access_token=${encodeURIComponent(accessToken)}`);
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function postAssertion(
  assertion: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(oauth.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  certs = await startCerts();
  oauth = await startOAuth({ googleKey: () => certs.googleKey, users: [ALICE] });
  appKey = createServiceAccountKey('app@standins-jwt.iam.gserviceaccount.com', 'standins-jwt');
  delegatingKey = createServiceAccountKey(
    'dwd@standins-jwt.iam.gserviceaccount.com',
    'standins-jwt',
  );
  oauth.registerServiceAccount(appKey);
  oauth.registerServiceAccount({ ...delegatingKey, delegation: true });
});

afterAll(async () => {
  await oauth.close();
  await certs.close();
});

describe('OAuth stand-in, JWT-bearer grant with google-auth-library JWT', () => {
  it('gives a delegated token whose tokeninfo names the impersonated user and scopes', async () => {
    const client = jwtClient(delegatingKey, [CHAT_SPACES, CHAT_MESSAGES], ALICE.email);
    const { token } = await client.getAccessToken();

    const info = await tokenInfo(token ?? '');
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      azp: delegatingKey.client_id,
      sub: ALICE.id,
      email: ALICE.email,
      delegated: 'true',
      principal: 'user',
      scope: `${CHAT_SPACES} ${CHAT_MESSAGES}`,
    });
    expect(Number(info.body.exp)).toBeGreaterThan(Date.now() / 1000);
  });

  it('gives an app token without subject: email is the service account, no sub', async () => {
    const { token } = await jwtClient(appKey, [CHAT_BOT]).getAccessToken();
    const info = await tokenInfo(token ?? '');
    expect(info.body).toMatchObject({
      email: appKey.client_email,
      principal: 'app',
      scope: CHAT_BOT,
    });
    expect(info.body).not.toHaveProperty('sub');
    expect(info.body).not.toHaveProperty('delegated');
  });

  it('refuses chat.bot with a delegated subject', async () => {
    const client = jwtClient(delegatingKey, [CHAT_BOT], ALICE.email);
    await expect(client.getAccessToken()).rejects.toThrow(
      /invalid_grant: chat.bot cannot be delegated/,
    );
  });

  it('refuses delegation for a service account without it, and unknown subjects', async () => {
    await expect(jwtClient(appKey, [CHAT_SPACES], ALICE.email).getAccessToken()).rejects.toThrow(
      /unauthorized_client/,
    );
    await expect(
      jwtClient(delegatingKey, [CHAT_SPACES], 'mallory@example.test').getAccessToken(),
    ).rejects.toThrow(/invalid_grant/);
  });

  it('refuses an assertion signed by a key that was never registered', async () => {
    const stranger = createServiceAccountKey(appKey.client_email, 'standins-jwt');
    await expect(jwtClient(stranger, [CHAT_BOT]).getAccessToken()).rejects.toThrow(
      /invalid_grant: Invalid JWT Signature\./,
    );
  });

  it('refuses a revoked key, while a second key of the account still works', async () => {
    const first = createServiceAccountKey('rotating@standins-jwt.iam.gserviceaccount.com', 'p');
    const second = createServiceAccountKey(first.client_email, 'p');
    oauth.registerServiceAccount(first);
    oauth.registerServiceAccount(second);
    await expect(jwtClient(first, [CHAT_BOT]).getAccessToken()).resolves.toHaveProperty('token');

    oauth.revokeKey(first.kid);
    await expect(jwtClient(first, [CHAT_BOT]).getAccessToken()).rejects.toThrow(
      /Invalid JWT Signature/,
    );
    await expect(jwtClient(second, [CHAT_BOT]).getAccessToken()).resolves.toHaveProperty('token');
  });

  it('checks audience, lifetime and scope of hand-made assertions', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = {
      iss: appKey.client_email,
      scope: CHAT_BOT,
      aud: GOOGLE_TOKEN_URL,
      iat: now,
      exp: now + 3600,
    };
    const key = (await import('node:crypto')).createPrivateKey(appKey.json.private_key);
    const sign = (claims: Record<string, unknown>) =>
      signJwt({ ...base, ...claims }, key, { kid: appKey.kid });

    expect((await postAssertion(sign({}))).status).toBe(200);
    expect((await postAssertion(sign({ aud: oauth.tokenUrl }))).status).toBe(200);
    expect(await postAssertion(sign({ aud: 'https://example.test/token' }))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect((await postAssertion(sign({ iat: now - 7200, exp: now - 3600 }))).status).toBe(400);
    expect((await postAssertion(sign({ iat: now + 600, exp: now + 1200 }))).status).toBe(400);
    expect(await postAssertion(sign({ scope: undefined }))).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect(await postAssertion(sign({}).slice(0, -4))).toMatchObject({
      body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    });
  });

  it('answers injected failures, counts requests, and expires tokens on demand', async () => {
    const before = oauth.counts();
    oauth.failNext(1, 500);
    const first = await postAssertion('not-a-jwt');
    expect(first.status).toBe(500);

    const client = jwtClient(appKey, [CHAT_BOT]);
    const { token } = await client.getAccessToken();
    const after = oauth.counts();
    expect(after.tokenRequests - before.tokenRequests).toBe(2);
    const jwtGrant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    expect((after.byGrant[jwtGrant] ?? 0) - (before.byGrant[jwtGrant] ?? 0)).toBe(2);

    oauth.expireAccessTokens();
    expect(await tokenInfo(token ?? '')).toMatchObject({
      status: 400,
      body: { error: 'invalid_token' },
    });
  });

  it('revokes an app token at /revoke', async () => {
    const { token } = await jwtClient(appKey, [CHAT_BOT]).getAccessToken();
    const revoked = await fetch(`${oauth.revokeUrl}?token=${token ?? ''}`, { method: 'POST' });
    expect(revoked.status).toBe(200);
    expect((await tokenInfo(token ?? '')).status).toBe(400);
    const again = await fetch(`${oauth.revokeUrl}?token=${token ?? ''}`, { method: 'POST' });
    expect(await again.json()).toMatchObject({ error: 'invalid_token' });
  });
});
