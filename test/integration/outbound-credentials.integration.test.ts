import { JWT } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceAccountKey } from '../../local/standins/keys.js';
import { isRetryable, SpacelogError } from '../../shared/errors.js';
import { asDelegated, asUser, requestIdFor, type UserTokens } from '../../shared/outbound/index.js';
import { useTokenUrl } from '../../shared/outbound/token-url.js';
import { ALICE, KEY_SECRET, startOutboundWorld, type OutboundWorld } from './outbound-harness.js';

let world: OutboundWorld;

beforeAll(async () => {
  world = await startOutboundWorld('outbound-credentials');
});

afterAll(async () => {
  await world.close();
});

const post = (instance: ReturnType<OutboundWorld['instance']>, space: string, event: string) =>
  instance.chat.createMessage({
    space,
    message: { text: event },
    requestId: requestIdFor(event, 'reply'),
  });

async function failure(promise: Promise<unknown>): Promise<SpacelogError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpacelogError);
  return err as SpacelogError;
}

describe('credentials from Secret Manager', () => {
  it('reads the key once and mints one token for many messages', async () => {
    const instance = world.instance();
    const space = world.space();
    const accesses = world.secretManager.accessCount(KEY_SECRET);
    const mints = world.oauth.counts().tokenRequests;
    for (let i = 0; i < 5; i++) await post(instance, space, `once-${i}`);
    expect(world.secretManager.accessCount(KEY_SECRET) - accesses).toBe(1);
    expect(world.oauth.counts().tokenRequests - mints).toBe(1);
  });

  it('reads a rotated key again when the token endpoint refuses the old one, and the call succeeds', async () => {
    const instance = world.instance();
    const space = world.space();
    await post(instance, space, 'before-rotation');
    const accesses = world.secretManager.accessCount(KEY_SECRET);

    const rotated = createServiceAccountKey(world.key.client_email, 'outbound-credentials');
    world.oauth.registerServiceAccount({ ...rotated, delegation: true });
    world.secretManager.addVersion(KEY_SECRET, JSON.stringify(rotated.json));
    world.oauth.revokeKey(world.key.kid);
    world.oauth.expireAccessTokens(); // the cached token runs out: the next one must be minted

    const posted = await post(instance, space, 'after-rotation');
    expect(posted.message.name).toBeDefined();
    expect(world.secretManager.accessCount(KEY_SECRET) - accesses).toBe(1);
  });

  it('gives a clear, retryable error naming the secret when Secret Manager is unreachable', async () => {
    const instance = world.instance();
    world.secretManager.setUnavailable(true);
    try {
      const err = await failure(post(instance, world.space(), 'sm-down'));
      expect(err.code).toBe('unavailable');
      expect(isRetryable(err.code)).toBe(true);
      expect(err.message).toContain(KEY_SECRET);
      expect(err.message).not.toContain('PRIVATE KEY');
    } finally {
      world.secretManager.setUnavailable(false);
    }
    // Nothing failed is cached: the same instance works once Secret Manager is back.
    await expect(post(instance, world.space(), 'sm-back')).resolves.toBeDefined();
  });

  it('reads the pinned key version, not the latest', async () => {
    const pinned = createServiceAccountKey(
      'pinned@outbound-credentials.iam.gserviceaccount.com',
      'x',
    );
    world.oauth.registerServiceAccount(pinned);
    world.secretManager.addVersion('pinned-key', JSON.stringify(pinned.json));
    world.secretManager.addVersion('pinned-key', 'not a key file');
    const latest = world.instance({}, { SERVICE_ACCOUNT_KEY_SECRET: 'pinned-key' });
    expect((await failure(post(latest, world.space(), 'latest'))).code).toBe('misconfigured');
    const instance = world.instance(
      {},
      { SERVICE_ACCOUNT_KEY_SECRET: 'pinned-key', SERVICE_ACCOUNT_KEY_VERSION: '1' },
    );
    await expect(post(instance, world.space(), 'pinned')).resolves.toBeDefined();
  });

  it('refuses a key the token endpoint does not know (wrong signature) with a message naming the secret', async () => {
    const stranger = createServiceAccountKey(world.key.client_email, 'outbound-credentials');
    world.secretManager.addVersion('unknown-key', JSON.stringify(stranger.json));
    const instance = world.instance({}, { SERVICE_ACCOUNT_KEY_SECRET: 'unknown-key' });
    const err = await failure(post(instance, world.space(), 'stranger'));
    expect(err.code).toBe('misconfigured');
    expect(err.message).toContain('unknown-key');
  });
});

describe('domain-wide delegation', () => {
  it('sets up a space as a delegated user, through the local token endpoint', async () => {
    const instance = world.instance();
    const space = await instance.chat.setUpSpace(
      {
        space: { spaceType: 'SPACE', displayName: 'Incident 42' },
        requestId: requestIdFor('alert:42', 'space'),
      },
      asDelegated(ALICE.email),
    );
    const call = world.chat.calls().find((c) => c.method === 'spaces.setup' && c.status === 200);
    expect(call).toMatchObject({ principal: 'user', user: `users/${ALICE.id}` });
    expect(call?.scopes).not.toContain('chat.bot');
    expect(world.chat.members(space.name ?? '').map((m) => m.member?.name)).toContain(
      `users/${ALICE.id}`,
    );
  });

  it('is refused as forbidden when the service account may not delegate', async () => {
    const plain = createServiceAccountKey(
      'plain@outbound-credentials.iam.gserviceaccount.com',
      'x',
    );
    world.oauth.registerServiceAccount(plain);
    world.secretManager.addVersion('plain-key', JSON.stringify(plain.json));
    const instance = world.instance({}, { SERVICE_ACCOUNT_KEY_SECRET: 'plain-key' });
    const err = await failure(
      instance.chat.setUpSpace(
        { space: { spaceType: 'SPACE', displayName: 'x' }, requestId: 'r' },
        asDelegated(ALICE.email),
      ),
    );
    expect(err.code).toBe('forbidden');
  });

  it('is refused by Chat as forbidden when the token lacks the method’s scope', async () => {
    // A user token provider that hands out a delegated token with a read-only scope.
    const jwt = new JWT({
      email: world.key.client_email,
      key: (JSON.parse(await world.instance().secrets.read(KEY_SECRET)) as { private_key: string })
        .private_key,
      scopes: ['https://www.googleapis.com/auth/chat.spaces.readonly'],
      subject: ALICE.email,
    });
    useTokenUrl(jwt, world.oauth.tokenUrl);
    const userTokens: UserTokens = {
      accessToken: async () => (await jwt.getAccessToken()).token ?? '',
    };
    const instance = world.instance({ userTokens });
    const space = world.space();
    const { message } = await post(world.instance(), space, 'react-to-me');
    const err = await failure(
      instance.chat.createReaction(
        { message: message.name ?? '', emoji: { unicode: '👍' } },
        asUser(`users/${ALICE.id}`),
      ),
    );
    expect(err.code).toBe('forbidden');
    expect(err.details).toMatchObject({ status: 403, attempts: 1 });
  });
});
