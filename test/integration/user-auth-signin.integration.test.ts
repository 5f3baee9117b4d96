import { createDecipheriv, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPE } from '../../shared/scopes/index.js';
import {
  ALICE,
  BOB,
  CHAT_REDIRECT,
  MORE_USERS,
  OUTSIDER,
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
  world = await startWorld('user-auth-signin');
});
afterAll(async () => {
  await world.close();
});

type Sealed = { keyId: string; iv: string; data: string; tag: string };

function openWith(key: Buffer, sealed: Sealed, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([
    decipher.update(Buffer.from(sealed.data, 'base64')),
    decipher.final(),
  ]).toString();
}

describe('sign-in', () => {
  it('asks for exactly the missing scope and openid, with state, PKCE and offline access', async () => {
    const url = new URL(await signInUrl(world, ALICE));
    const p = url.searchParams;
    expect(`${url.origin}${url.pathname}`).toBe(world.oauth.authUrl);
    expect(p.get('client_id')).toBe(world.config.oauthClientId);
    expect(p.get('redirect_uri')).toBe(world.callbackUrl);
    expect(p.get('response_type')).toBe('code');
    expect(p.get('scope')?.split(' ').sort()).toEqual([SCOPE.spacesReadonly, 'openid'].sort());
    expect(p.get('state')).toMatch(/^[\w-]{43}$/);
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('access_type')).toBe('offline');
    expect(p.get('include_granted_scopes')).toBe('true');
    expect(p.get('prompt')).toBe('consent');
    expect(p.get('login_hint')).toBe(ALICE.email);
  });

  it('stores the grant and sends the browser back to Chat', async () => {
    const back = await visit(await consent(await signInUrl(world, ALICE), { as: ALICE }));
    expect(back.status).toBe(302);
    expect(back.location).toBe(CHAT_REDIRECT);

    const doc = await grantDoc(world, ALICE);
    expect(doc?.['grantedScopes']).toEqual([SCOPE.spacesReadonly, 'openid'].sort());
    expect(doc?.['status']).toBe('active');
    const recorded = await world.events.readStream(`user:${ALICE.id}`);
    expect(recorded.map((e) => e.type)).toContain('UserGrantRecorded');
    expect(JSON.stringify(recorded)).not.toMatch(/ya29\.|1\/\//);
    expect((await world.auth.gate({ userId: chatUser(ALICE), feature: 'myspaces' })).kind).toBe(
      'ready',
    );
  });

  it('stores the refresh token as ciphertext that opens only with the key from Secret Manager', async () => {
    const doc = await grantDoc(world, ALICE);
    const sealed = doc?.['refreshToken'] as Sealed;
    expect(sealed.keyId).toMatch(/\/secrets\/spacelog-token-key\/versions\/1$/);
    expect(JSON.stringify(doc)).not.toMatch(/1\/\/|ya29\./);

    const context = `userGrants/${chatUser(ALICE)}/refresh`;
    const plain = openWith(Buffer.from(world.tokenKeyBase64, 'base64'), sealed, context);
    expect(() => openWith(randomBytes(32), sealed, context)).toThrow();
    // What it opens to is the live refresh token: the token endpoint accepts it.
    const res = await fetch(world.oauth.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: plain,
        client_id: world.config.oauthClientId ?? '',
        client_secret: 'client-secret-for-tests',
      }),
    });
    expect(res.status).toBe(200);
  });

  it('refuses a replayed state', async () => {
    const callback = await consent(await signInUrl(world, BOB), { as: BOB });
    expect((await visit(callback)).status).toBe(302);
    const before = world.oauth.counts().tokenRequests;
    const again = await visit(callback);
    expect(again.status).toBe(400);
    expect(again.body).toContain('expired');
    expect(world.oauth.counts().tokenRequests).toBe(before);
  });

  it('lets only one of two concurrent uses of a state through', async () => {
    await world.db.collection('userGrants').doc(BOB.id).delete();
    const callback = await consent(await signInUrl(world, BOB), { as: BOB });
    const answers = await Promise.all([visit(callback), visit(callback), visit(callback)]);
    expect(answers.map((a) => a.status).sort()).toEqual([302, 400, 400]);
  });

  it('refuses a state started by one user and completed by another, storing nothing', async () => {
    await world.db.collection('userGrants').doc(BOB.id).delete();
    const carol = MORE_USERS[0]!;
    const fromCarol = await signInUrl(world, carol);
    const answer = await visit(await consent(fromCarol, { as: BOB }));
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('Wrong Google account');
    expect(await grantDoc(world, BOB)).toBeUndefined();
    expect(await grantDoc(world, carol)).toBeUndefined();
  });

  it('refuses a Google account that is not the Chat user, and stores nothing', async () => {
    const user = MORE_USERS[1]!;
    const eventsBefore = (await world.events.readAll()).events.length;
    const answer = await visit(await consent(await signInUrl(world, user), { as: OUTSIDER }));
    expect(answer.status).toBe(403);
    expect(await grantDoc(world, user)).toBeUndefined();
    expect(await grantDoc(world, OUTSIDER)).toBeUndefined();
    expect((await world.events.readAll()).events.length).toBe(eventsBefore);
  });

  it('shows a clear page when consent is denied, and stores nothing', async () => {
    const user = MORE_USERS[2]!;
    const answer = await visit(
      await consent(await signInUrl(world, user), { as: user, decision: 'deny' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Sign-in cancelled');
    expect(await grantDoc(world, user)).toBeUndefined();
  });

  it('refuses an expired state', async () => {
    const user = MORE_USERS[3]!;
    const callback = await consent(await signInUrl(world, user), { as: user });
    world.clock.advance((world.config.oauthStateTtlSeconds + 1) * 1000);
    const answer = await visit(callback);
    world.clock.advance(-(world.config.oauthStateTtlSeconds + 1) * 1000);
    expect(answer.status).toBe(400);
    expect(await grantDoc(world, user)).toBeUndefined();
  });

  it('refuses to start a sign-in whose Chat redirect URL is not Chat’s', async () => {
    await expect(
      world.auth.gate({
        userId: chatUser(ALICE),
        chatRedirectUrl: 'https://evil.example/collect',
        feature: 'incident.acknowledge',
      }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
