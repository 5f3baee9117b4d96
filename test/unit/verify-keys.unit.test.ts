/**
 * The signing-key cache: parsed once, kept for max-age, refetched (rate
 * limited) on an unknown key id, stale keys while refreshes fail, and
 * `unavailable` when there is nothing to check with. Plus building the
 * verifier from configuration, failing closed.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { loadConfig } from '../../shared/config.js';
import { SpacelogError } from '../../shared/errors.js';
import { verifierFromConfig } from '../../shared/verify/from-config.js';
import {
  createKeyCache,
  maxAgeSeconds,
  parseKeys,
  type FetchLike,
} from '../../shared/verify/keys.js';
import { acceptAnyToken } from '../../shared/verify/verifier.js';
import { createSigningKey, type SigningKey } from '../../local/standins/keys.js';

const first = createSigningKey();
const second = createSigningKey();

/** A certificate endpoint whose keys and health a test controls, counting fetches. */
function endpoint(initial: SigningKey[], maxAge = 3600) {
  const state = { keys: initial, down: false, fetches: 0 };
  const fetch: FetchLike = () => {
    state.fetches += 1;
    if (state.down) return Promise.resolve(new Response('{}', { status: 503 }));
    const body = Object.fromEntries(state.keys.map((k) => [k.kid, k.certificatePem]));
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        headers: { 'cache-control': `public, max-age=${maxAge}` },
      }),
    );
  };
  return { state, fetch };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (err) {
    return err instanceof SpacelogError ? err.code : 'other';
  }
}

describe('signing key cache', () => {
  it('reads both body shapes: x509 certificates by kid and JWKS', () => {
    const pem = parseKeys({ [first.kid]: first.certificatePem, junk: 'not a certificate' });
    const jwk = parseKeys({
      keys: [{ kid: second.kid, ...second.publicKey.export({ format: 'jwk' }) }],
    });
    expect([...pem.keys()]).toEqual([first.kid]);
    expect([...jwk.keys()]).toEqual([second.kid]);
  });

  it('reads max-age from Cache-Control, with a default and a cap', () => {
    expect(maxAgeSeconds('public, max-age=21600, must-revalidate')).toBe(21600);
    expect(maxAgeSeconds(null)).toBe(300);
    expect(maxAgeSeconds('max-age=99999999')).toBe(86400);
  });

  it('fetches once for many lookups within max-age, and again after it', async () => {
    const clock = manualClock('2026-03-01T00:00:00Z');
    const { state, fetch } = endpoint([first], 600);
    const cache = createKeyCache({ url: 'http://certs.test/', clock, fetch });
    await Promise.all([cache.key(first.kid), cache.key(first.kid), cache.key(first.kid)]);
    expect(state.fetches).toBe(1);
    clock.advance(601_000);
    expect(await cache.key(first.kid)).toBeDefined();
    expect(state.fetches).toBe(2);
  });

  it('refetches on an unknown key id at most once per interval, and finds a rotated key', async () => {
    const clock = manualClock('2026-03-01T00:00:00Z');
    const { state, fetch } = endpoint([first]);
    const cache = createKeyCache({
      url: 'http://certs.test/',
      clock,
      fetch,
      refetchIntervalMs: 15_000,
    });
    await cache.key(first.kid);

    clock.advance(20_000);
    expect(await cache.key('random-1')).toBeUndefined();
    expect(await cache.key('random-2')).toBeUndefined();
    expect(state.fetches).toBe(2);

    state.keys = [first, second];
    expect(await cache.key(second.kid)).toBeUndefined(); // too soon after the last fetch
    clock.advance(15_000);
    expect(await cache.key(second.kid)).toBeDefined();
    expect(state.fetches).toBe(3);
  });

  it('answers unavailable when the first fetch fails, and retries only after a pause', async () => {
    const clock = manualClock('2026-03-01T00:00:00Z');
    const { state, fetch } = endpoint([first]);
    state.down = true;
    const cache = createKeyCache({
      url: 'http://certs.test/',
      clock,
      fetch,
      retryAfterFailureMs: 1000,
    });
    expect(await codeOf(cache.key(first.kid))).toBe('unavailable');
    expect(await codeOf(cache.key(first.kid))).toBe('unavailable');
    expect(state.fetches).toBe(1);
    state.down = false;
    clock.advance(1000);
    expect(await cache.key(first.kid)).toBeDefined();
  });

  it('keeps using expired keys while refreshes fail, within the stale window', async () => {
    const clock = manualClock('2026-03-01T00:00:00Z');
    const { state, fetch } = endpoint([first], 60);
    const cache = createKeyCache({
      url: 'http://certs.test/',
      clock,
      fetch,
      staleIfErrorMs: 600_000,
    });
    await cache.key(first.kid);
    state.down = true;
    clock.advance(120_000);
    expect(await cache.key(first.kid)).toBeDefined();
    clock.advance(700_000);
    expect(await codeOf(cache.key(first.kid))).toBe('unavailable');
  });
});

describe('verifier from configuration', () => {
  const clock = manualClock('2026-03-01T00:00:00Z');
  const build = (env: Record<string, string>) => verifierFromConfig(loadConfig(env), clock);
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return `${(err as SpacelogError).code}: ${(err as Error).message}`;
    }
    return 'built';
  };

  it('refuses to build without an audience, naming the setting', () => {
    expect(message(() => build({}))).toMatch(/^misconfigured: Setting CHAT_AUDIENCE is required/);
  });

  it('refuses an add-on verifier without a service agent or project number', () => {
    const env = { CHAT_AUDIENCE_KIND: 'add-on', CHAT_AUDIENCE: 'https://x.test/' };
    expect(message(() => build(env))).toMatch(/CHAT_ADDON_SERVICE_AGENT/);
    expect(message(() => build({ ...env, GOOGLE_CLOUD_PROJECT_NUMBER: '42' }))).toBe('built');
  });

  it('takes the project number as the audience of project-number tokens', () => {
    const env = { CHAT_AUDIENCE_KIND: 'project-number', GOOGLE_CLOUD_PROJECT_NUMBER: '42' };
    expect(message(() => build(env))).toBe('built');
    expect(message(() => build({ ...env, CHAT_AUDIENCE: 'https://x.test/' }))).toMatch(/digits/);
  });

  it('turns verification off only with off-local-only, which Google Cloud refuses', () => {
    expect(build({ CHAT_VERIFICATION: 'off-local-only' })).toBe(acceptAnyToken);
    const onCloud = () =>
      loadConfig({ CHAT_VERIFICATION: 'off-local-only', K_SERVICE: 'chat-events' });
    expect(message(onCloud)).toMatch(/^misconfigured: .*CHAT_VERIFICATION/);
  });
});
