import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURES, SCOPE, type FeatureId } from '../../shared/scopes/index.js';
import type { GateResult } from '../../shared/user-auth/index.js';
import {
  ALICE,
  BOB,
  CHAT_REDIRECT,
  chatUser,
  consent,
  grantDoc,
  startWorld,
  visit,
  type World,
} from './user-auth-harness.js';

let world: World;

beforeAll(async () => {
  world = await startWorld('user-auth-scopes');
});
afterAll(async () => {
  await world.close();
});

const use = (account: { id: string; email: string }, feature: FeatureId): Promise<GateResult> =>
  world.auth.gate({
    userId: chatUser(account),
    email: account.email,
    chatRedirectUrl: CHAT_REDIRECT,
    feature,
  });

function askedScopes(result: GateResult): string[] {
  if (result.kind !== 'sign-in') throw new Error(`expected a sign-in, got ${result.kind}`);
  return (new URL(result.authorizationUrl).searchParams.get('scope') ?? '').split(' ').sort();
}

async function signIn(
  account: { id: string; email: string },
  result: GateResult,
  granted?: string[],
): Promise<void> {
  if (result.kind !== 'sign-in') throw new Error(`expected a sign-in, got ${result.kind}`);
  const answer = await visit(
    await consent(result.authorizationUrl, { as: account, ...(granted && { granted }) }),
  );
  expect(answer.status).toBe(302);
}

describe('features that follow the granted scopes', () => {
  it('turns off exactly the features whose scopes a partial grant left out, then asks for just those', async () => {
    const first = await use(ALICE, 'incident.open-as-user');
    expect(askedScopes(first)).toEqual([SCOPE.memberships, SCOPE.spacesCreate, 'openid'].sort());
    await signIn(ALICE, first, ['openid', SCOPE.spacesCreate]);

    const stored = await grantDoc(world, ALICE);
    expect(stored?.['grantedScopes']).toEqual(['openid', SCOPE.spacesCreate].sort());
    expect(stored?.['declinedScopes']).toEqual([SCOPE.memberships]);

    // Chat sends the interaction again after the sign-in: the reply names what stays off.
    const again = await use(ALICE, 'incident.open-as-user');
    expect(again.kind).toBe('off');
    const notice = again.kind === 'off' ? again.notice : '';
    expect(notice).toContain(FEATURES['incident.open-as-user'].label);
    expect(notice).not.toContain(FEATURES.myspaces.label);
    expect(notice).not.toContain(FEATURES['incident.acknowledge'].label);

    // Using it once more asks for exactly the missing scope.
    const third = await use(ALICE, 'incident.open-as-user');
    expect(askedScopes(third)).toEqual([SCOPE.memberships, 'openid'].sort());
    expect(
      new URL(third.kind === 'sign-in' ? third.authorizationUrl : '').searchParams.get('prompt'),
    ).toBeNull();
    await signIn(ALICE, third);
    expect((await use(ALICE, 'incident.open-as-user')).kind).toBe('ready');
  });

  it('adds a scope with incremental consent and loses none', async () => {
    const before = (await grantDoc(world, ALICE))?.['grantedScopes'] as string[];
    const sealedBefore = (await grantDoc(world, ALICE))?.['refreshToken'];
    const ask = await use(ALICE, 'myspaces');
    expect(askedScopes(ask)).toEqual([SCOPE.spacesReadonly, 'openid'].sort());
    await signIn(ALICE, ask);

    const after = (await grantDoc(world, ALICE))?.['grantedScopes'] as string[];
    expect(after).toEqual([...before, SCOPE.spacesReadonly].sort());
    for (const feature of ['incident.open-as-user', 'myspaces'] as const) {
      expect((await use(ALICE, feature)).kind).toBe('ready');
    }
    // New scopes came with a new refresh token; it replaced the stored one.
    expect((await grantDoc(world, ALICE))?.['refreshToken']).not.toEqual(sealedBefore);
  });

  it('keeps the stored refresh token when a sign-in response carries none', async () => {
    const bobFirst = await use(BOB, 'myspaces');
    await signIn(BOB, bobFirst);
    const sealed = (await grantDoc(world, BOB))?.['refreshToken'];
    expect(sealed).toBeDefined();

    // Signing in again for what was already granted: Google sends no refresh token.
    const again = await world.auth.signIn({
      userId: chatUser(BOB),
      chatRedirectUrl: CHAT_REDIRECT,
      scopes: [SCOPE.spacesReadonly],
      hasRefreshToken: true,
    });
    const refreshGrantsBefore = world.oauth.counts().byGrant['authorization_code'] ?? 0;
    expect((await visit(await consent(again, { as: BOB }))).status).toBe(302);
    expect(world.oauth.counts().byGrant['authorization_code']).toBe(refreshGrantsBefore + 1);
    expect((await grantDoc(world, BOB))?.['refreshToken']).toEqual(sealed);
    expect((await use(BOB, 'myspaces')).kind).toBe('ready');
  });

  it('records each grant in the user stream with its scopes and key id, never a token', async () => {
    const recorded = await world.events.readStream(`user:${ALICE.id}`);
    const grants = recorded.filter((e) => e.type === 'UserGrantRecorded');
    expect(grants).toHaveLength(3);
    expect(grants[0]?.payload).toMatchObject({
      scopes: ['openid', SCOPE.spacesCreate].sort(),
      requestedScopes: [SCOPE.memberships, SCOPE.spacesCreate, 'openid'].sort(),
    });
    expect(JSON.stringify(recorded)).not.toMatch(/ya29\.|1\/\//);
  });
});
