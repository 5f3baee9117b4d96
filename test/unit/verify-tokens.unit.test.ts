/**
 * The Chat request verifier against every kind of token it must accept and
 * a battery of forged or broken ones it must refuse with `unauthenticated`.
 * Keys come from a fake certificate fetch; the clock is fixed.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { SpacelogError } from '../../shared/errors.js';
import { createKeyCache } from '../../shared/verify/keys.js';
import { createChatVerifier, type ChatVerifier } from '../../shared/verify/verifier.js';
import {
  mintAddOnIdToken,
  mintEndpointIdToken,
  mintJwt,
  mintProjectNumberToken,
  type MintOptions,
} from '../../local/standins/chat-tokens.js';
import { createSigningKey } from '../../local/standins/keys.js';

const NOW = Date.parse('2026-03-01T09:00:00Z');
const PROJECT_NUMBER = '123456789012';
const ENDPOINT = 'https://chat.example.test/chatEvents';
const ADD_ON_URL = 'https://chat.example.test/chatEvents?app=spacelog';
const AGENT = `service-${PROJECT_NUMBER}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`;
const OTHER_AGENT = 'service-999999999999@gcp-sa-gsuiteaddons.iam.gserviceaccount.com';

const chatKey = createSigningKey();
const googleKey = createSigningKey();
const attacker = createSigningKey();
const keys = { chatKey, googleKey };
const clock = manualClock(new Date(NOW));

function certsOf(...signing: (typeof chatKey)[]) {
  const body = Object.fromEntries(signing.map((k) => [k.kid, k.certificatePem]));
  return createKeyCache({
    url: 'http://certs.test/',
    clock,
    fetch: () => Promise.resolve(new Response(JSON.stringify(body))),
  });
}

const verifiers = {
  'project-number': createChatVerifier({
    kind: 'project-number',
    audience: PROJECT_NUMBER,
    keys: certsOf(chatKey),
    clock,
  }),
  'endpoint-url': createChatVerifier({
    kind: 'endpoint-url',
    audience: ENDPOINT,
    keys: certsOf(googleKey),
    clock,
  }),
  'add-on': createChatVerifier({
    kind: 'add-on',
    audience: ADD_ON_URL,
    addOnServiceAgent: AGENT,
    keys: certsOf(googleKey),
    clock,
  }),
} satisfies Record<string, ChatVerifier>;

const endpoint = (options: MintOptions & { readonly audience?: string } = {}) =>
  mintEndpointIdToken(keys, { audience: ENDPOINT, now: NOW, ...options });
const bearer = (token: string) => `Bearer ${token}`;

async function refusal(verifier: ChatVerifier, header: string | string[] | undefined) {
  try {
    await verifier.verify(header);
  } catch (err) {
    expect(err).toBeInstanceOf(SpacelogError);
    const e = err as SpacelogError;
    expect(e.message).not.toContain('eyJ');
    return { code: e.code, reason: e.details.reason };
  }
  throw new Error('the token was accepted');
}

describe('Chat request verifier', () => {
  it('accepts a project-number JWT from Chat for the configured project number', async () => {
    const token = mintProjectNumberToken(keys, { projectNumber: PROJECT_NUMBER, now: NOW });
    const caller = await verifiers['project-number'].verify(bearer(token));
    expect(caller).toMatchObject({
      kind: 'project-number',
      issuer: 'chat@system.gserviceaccount.com',
    });
  });

  it('accepts an endpoint-URL ID token from Chat for the configured URL', async () => {
    const caller = await verifiers['endpoint-url'].verify(bearer(endpoint()));
    expect(caller).toMatchObject({
      kind: 'endpoint-url',
      email: 'chat@system.gserviceaccount.com',
    });
  });

  it('answers at once, without a promise, once the keys are fetched and fresh', async () => {
    await verifiers['endpoint-url'].verify(bearer(endpoint()));
    const answer = verifiers['endpoint-url'].verify(bearer(endpoint({ overrides: { jti: 'x' } })));
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toMatchObject({ kind: 'endpoint-url' });
    const refused = verifiers['endpoint-url'].verify(bearer(`${endpoint()}x`));
    expect(refused).toBeInstanceOf(Promise);
    await expect(refused).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('accepts an endpoint-URL ID token whose issuer omits the scheme', async () => {
    const token = endpoint({ overrides: { iss: 'accounts.google.com' } });
    expect(await verifiers['endpoint-url'].verify(bearer(token))).toMatchObject({
      issuer: 'accounts.google.com',
    });
  });

  it('accepts an add-on ID token from the configured service agent, query string included', async () => {
    const token = mintAddOnIdToken(keys, {
      audience: ADD_ON_URL,
      serviceAgentEmail: AGENT,
      now: NOW,
    });
    const caller = await verifiers['add-on'].verify(bearer(token));
    expect(caller).toMatchObject({ kind: 'add-on', email: AGENT });
  });

  it('accepts a token within the clock skew of its expiry and the scheme in any case', async () => {
    const token = endpoint({ now: NOW - 3600_000, ttl: 3600 - 30 }); // expired 30 s ago
    expect(await verifiers['endpoint-url'].verify(`bearer ${token}`)).toMatchObject({
      kind: 'endpoint-url',
    });
  });

  const hs256 = () => endpoint({ algorithm: 'HS256' });
  const truncated = () => endpoint().slice(0, -20);
  const tampered = () => {
    const [h, , s] = endpoint().split('.');
    const forged = Buffer.from(
      JSON.stringify({
        iss: 'https://accounts.google.com',
        aud: ENDPOINT,
        email: 'chat@system.gserviceaccount.com',
        email_verified: true,
        iat: NOW / 1000,
        exp: NOW / 1000 + 3600,
      }),
    ).toString('base64url');
    return `${h}.${forged}.${s}`;
  };
  const battery: [string, keyof typeof verifiers, () => string | string[] | undefined, string][] = [
    [
      'wrong audience',
      'endpoint-url',
      () => bearer(endpoint({ audience: 'https://evil.test/' })),
      'wrong-audience',
    ],
    [
      'audience as a list',
      'endpoint-url',
      () => bearer(endpoint({ overrides: { aud: [ENDPOINT] } })),
      'wrong-audience',
    ],
    [
      'add-on audience without its query string',
      'add-on',
      () =>
        bearer(mintAddOnIdToken(keys, { audience: ENDPOINT, serviceAgentEmail: AGENT, now: NOW })),
      'wrong-audience',
    ],
    [
      'wrong issuer',
      'endpoint-url',
      () => bearer(endpoint({ overrides: { iss: 'https://accounts.google.com.evil.test' } })),
      'wrong-issuer',
    ],
    [
      'http issuer',
      'endpoint-url',
      () => bearer(endpoint({ overrides: { iss: 'http://accounts.google.com' } })),
      'wrong-issuer',
    ],
    [
      'wrong email',
      'endpoint-url',
      () => bearer(endpoint({ overrides: { email: 'someone@example.com' } })),
      'wrong-email',
    ],
    [
      'email_verified false',
      'endpoint-url',
      () => bearer(endpoint({ overrides: { email_verified: false } })),
      'email-not-verified',
    ],
    [
      'email_verified as a string',
      'endpoint-url',
      () => bearer(endpoint({ overrides: { email_verified: 'true' } })),
      'email-not-verified',
    ],
    ['expired', 'endpoint-url', () => bearer(endpoint({ now: NOW - 2 * 3600_000 })), 'expired'],
    [
      'not yet valid',
      'endpoint-url',
      () => bearer(endpoint({ overrides: { nbf: NOW / 1000 + 600 } })),
      'not-yet-valid',
    ],
    [
      'issued in the future',
      'endpoint-url',
      () => bearer(endpoint({ now: NOW + 600_000 })),
      'issued-in-future',
    ],
    [
      'lifetime of two days',
      'endpoint-url',
      () => bearer(endpoint({ ttl: 2 * 86_400 })),
      'lifetime-too-long',
    ],
    [
      'no expiry',
      'endpoint-url',
      () => bearer(endpoint({ overrides: { exp: undefined } })),
      'missing-expiry',
    ],
    [
      'unknown key id',
      'endpoint-url',
      () => bearer(endpoint({ signWith: attacker })),
      'unknown-key-id',
    ],
    [
      'right key id, wrong key',
      'endpoint-url',
      () => bearer(endpoint({ signWith: attacker, kid: googleKey.kid })),
      'bad-signature',
    ],
    ['alg none', 'endpoint-url', () => bearer(endpoint({ algorithm: 'none' })), 'bad-encoding'],
    [
      'alg none with a signature',
      'endpoint-url',
      () => bearer(`${endpoint({ algorithm: 'none' })}c2ln`),
      'algorithm-not-rs256',
    ],
    [
      'HS256 signed with the public key',
      'endpoint-url',
      () => bearer(hs256()),
      'algorithm-not-rs256',
    ],
    [
      'RS512 header',
      'endpoint-url',
      () => bearer(endpoint({ headerOverrides: { alg: 'RS512' } })),
      'algorithm-not-rs256',
    ],
    ['truncated signature', 'endpoint-url', () => bearer(truncated()), 'bad-signature'],
    ['payload changed after signing', 'endpoint-url', () => bearer(tampered()), 'bad-signature'],
    [
      'valid token for another add-on',
      'add-on',
      () =>
        bearer(
          mintAddOnIdToken(keys, {
            audience: ADD_ON_URL,
            serviceAgentEmail: OTHER_AGENT,
            now: NOW,
          }),
        ),
      'wrong-email',
    ],
    [
      'add-on token at an endpoint-URL app',
      'endpoint-url',
      () =>
        bearer(mintAddOnIdToken(keys, { audience: ENDPOINT, serviceAgentEmail: AGENT, now: NOW })),
      'wrong-email',
    ],
    [
      'endpoint token at an add-on app',
      'add-on',
      () => bearer(endpoint({ audience: ADD_ON_URL })),
      'wrong-email',
    ],
    [
      'project-number token at an endpoint-URL app',
      'endpoint-url',
      () => bearer(mintProjectNumberToken(keys, { projectNumber: PROJECT_NUMBER, now: NOW })),
      'wrong-audience',
    ],
    [
      'ID token at a project-number app',
      'project-number',
      () => bearer(endpoint({ audience: PROJECT_NUMBER })),
      'wrong-issuer',
    ],
    [
      'Chat-issued token signed with a Google key',
      'project-number',
      () =>
        bearer(
          mintJwt({ iss: 'chat@system.gserviceaccount.com', aud: PROJECT_NUMBER }, googleKey, {
            now: NOW,
          }),
        ),
      'unknown-key-id',
    ],
    ['missing header', 'endpoint-url', () => undefined, 'missing-token'],
    ['empty header', 'endpoint-url', () => '', 'missing-token'],
    [
      'Basic scheme',
      'endpoint-url',
      () => `Basic ${Buffer.from('a:b').toString('base64')}`,
      'not-bearer',
    ],
    ['token without scheme', 'endpoint-url', () => endpoint(), 'not-bearer'],
    [
      'two Authorization headers',
      'endpoint-url',
      () => [bearer(endpoint()), bearer(endpoint())],
      'several-authorization-headers',
    ],
    ['garbage', 'endpoint-url', () => 'Bearer not-a-token', 'not-a-jws'],
    ['extra segments', 'endpoint-url', () => bearer(`${endpoint()}.e30`), 'not-a-jws'],
    [
      'padding in a segment',
      'endpoint-url',
      () => bearer(endpoint().replace('.', '=.')),
      'bad-encoding',
    ],
    [
      'header not JSON',
      'endpoint-url',
      () => bearer(`bm90LWpzb24.${endpoint().split('.').slice(1).join('.')}`),
      'bad-header',
    ],
    [
      'critical header',
      'endpoint-url',
      () => bearer(endpoint({ headerOverrides: { crit: ['exp'] } })),
      'critical-header',
    ],
    [
      'no key id',
      'endpoint-url',
      () => bearer(endpoint({ headerOverrides: { kid: undefined } })),
      'missing-key-id',
    ],
    [
      'token of 10 KB',
      'endpoint-url',
      () => bearer(endpoint({ overrides: { pad: 'x'.repeat(10_000) } })),
      'token-too-long',
    ],
  ];

  it('has a battery of at least 20 refused tokens', () => {
    expect(battery.length).toBeGreaterThanOrEqual(20);
  });

  it.each(battery)('refuses %s with 401 (%s app)', async (_name, kind, header, reason) => {
    expect(await refusal(verifiers[kind], header())).toEqual({ code: 'unauthenticated', reason });
  });

  it('refuses a remembered token once it has expired', async () => {
    const own = manualClock(new Date(NOW));
    const verifier = createChatVerifier({
      kind: 'endpoint-url',
      audience: ENDPOINT,
      keys: certsOf(googleKey),
      clock: own,
    });
    const token = bearer(endpoint({ ttl: 300 }));
    await verifier.verify(token);
    own.advance(300_000 + 61_000);
    expect(await refusal(verifier, token)).toEqual({ code: 'unauthenticated', reason: 'expired' });
  });
});
