import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPE } from '../../shared/scopes/index.js';
import { isSignInRequired } from '../../shared/user-auth/index.js';
import {
  ALICE,
  BOB,
  MORE_USERS,
  chatUser,
  consent,
  grantDoc,
  signInUrl,
  startWorld,
  visit,
  type World,
} from './user-auth-harness.js';

let world: World;

beforeAll(async () => {
  world = await startWorld('user-auth-refresh');
});
afterAll(async () => {
  await world.close();
});

async function signedIn(account: { id: string; email: string }): Promise<void> {
  const consented = await consent(await signInUrl(world, account), { as: account });
  expect((await visit(consented)).status).toBe(302);
}

async function tokenInfoStatus(accessToken: string): Promise<number> {
  const res = await fetch(
    `${world.oauth.tokenInfoUrl}?access_token=${encodeURIComponent(accessToken)}`,
  );
  return res.status;
}

const SPACES_READ = [SCOPE.spacesReadonly];

describe('refresh', () => {
  it('makes one call to the token endpoint for 10 concurrent refreshes on 10 instances', async () => {
    await signedIn(ALICE);
    // An hour later the stored access token is past its refresh margin.
    world.clock.advance(3600_000);
    const instances = Array.from({ length: 10 }, () => world.newInstance());
    const before = world.oauth.counts().byGrant['refresh_token'] ?? 0;

    const tokens = await Promise.all(
      instances.map((i) => i.userTokens.accessToken(chatUser(ALICE), SPACES_READ)),
    );

    expect(world.oauth.counts().byGrant['refresh_token']).toBe(before + 1);
    expect(new Set(tokens).size).toBe(1);
    expect(await tokenInfoStatus(tokens[0] ?? '')).toBe(200);
    // The refreshed token is stored sealed, never in clear.
    expect(JSON.stringify(await grantDoc(world, ALICE))).not.toContain(tokens[0]);
  });

  it('serves a cached token without any call while it is fresh', async () => {
    const before = world.oauth.counts().tokenRequests;
    const first = await world.auth.userTokens.accessToken(chatUser(ALICE), SPACES_READ);
    const second = await world.auth.userTokens.accessToken(chatUser(ALICE), SPACES_READ);
    expect(second).toBe(first);
    expect(world.oauth.counts().tokenRequests).toBe(before);
  });

  it('refuses a scope the user never granted and asks them to sign in', async () => {
    await expect(
      world.auth.userTokens.accessToken(chatUser(ALICE), [SCOPE.messagesReactionsCreate]),
    ).rejects.toSatisfy(isSignInRequired);
  });

  it('marks the grant revoked on invalid_grant and asks for a new sign-in with consent', async () => {
    await signedIn(BOB);
    const live = await world.auth.userTokens.accessToken(chatUser(BOB), SPACES_READ);
    // The user removes Spacelog's access in their Google account.
    await fetch(world.oauth.revokeUrl, {
      method: 'POST',
      body: new URLSearchParams({ token: live }),
    });
    world.clock.advance(3600_000);

    await expect(
      world.newInstance().userTokens.accessToken(chatUser(BOB), SPACES_READ),
    ).rejects.toSatisfy(isSignInRequired);
    const doc = await grantDoc(world, BOB);
    expect(doc?.['status']).toBe('revoked');
    expect(doc?.['refreshToken']).toBeUndefined();
    const revoked = (await world.events.readStream(`user:${BOB.id}`)).filter(
      (e) => e.type === 'UserGrantRevoked',
    );
    expect(revoked.map((e) => e.payload)).toEqual([{ reason: 'invalid_grant' }]);

    const next = await world.auth.gate({ userId: chatUser(BOB), feature: 'myspaces' });
    expect(next.kind).toBe('sign-in');
    const url = new URL(next.kind === 'sign-in' ? next.authorizationUrl : 'http://x');
    expect(url.searchParams.get('prompt')).toBe('consent');
  });
});

describe('/signout', () => {
  it('revokes the grant at Google and deletes it', async () => {
    const user = MORE_USERS[0]!;
    await signedIn(user);
    const live = await world.auth.userTokens.accessToken(chatUser(user), SPACES_READ);
    expect(await tokenInfoStatus(live)).toBe(200);

    expect(await world.auth.signOut(chatUser(user), 'interaction-signout-1')).toBe(true);

    expect(await tokenInfoStatus(live)).toBe(400);
    expect(await grantDoc(world, user)).toBeUndefined();
    const events = await world.events.readStream(`user:${user.id}`);
    expect(events.at(-1)?.type).toBe('UserGrantRevoked');
    expect(events.at(-1)?.payload).toEqual({ reason: 'signout' });
    expect(await world.auth.signOut(chatUser(user), 'interaction-signout-2')).toBe(false);
  });
});
