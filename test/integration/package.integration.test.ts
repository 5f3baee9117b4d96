/**
 * The deployable package itself: `scripts/package.sh` builds it, and each
 * function is served from it by the functions framework as Cloud Run serves
 * it (`FUNCTION_TARGET` set, `NODE_ENV=production`, the bundled main
 * module), against the emulators and stand-ins. A bundling mistake (a
 * dependency left out, a chunk that fails to load, a name clash) fails here
 * rather than on the first deployment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPackage,
  PACKAGE_DIR,
  serveFunction,
  type ServedFunction,
} from '../../local/packaged-function.js';
import { startCerts, mintEndpointIdToken, type CertsStandIn } from '../../local/standins/certs.js';
import { emulatorHosts } from '../support/emulator-hosts.js';
import { deliver } from './chat-pubsub-harness.js';

const PROJECT = 'package-test';
const AUDIENCE = 'https://chat-events.package.example.test/';
const RUN = Date.now().toString(36);

let certs: CertsStandIn;
const served: ServedFunction[] = [];

function emulatorEnv(): Record<string, string> {
  const { firestore, pubsub } = emulatorHosts();
  return {
    GOOGLE_CLOUD_PROJECT: PROJECT,
    GOOGLE_CLOUD_PROJECT_NUMBER: '123456789012',
    EVENT_STORE: 'firestore',
    FIRESTORE_EMULATOR_HOST: firestore,
    PUBSUB_URL: `http://${pubsub}`,
    RUNTIME_CREDENTIALS: 'none-local-only',
    CHAT_AUDIENCE_KIND: 'endpoint-url',
    CHAT_AUDIENCE: AUDIENCE,
    GOOGLE_CERTS_URL: certs.googleCertsUrl,
    CHAT_ADDON_SERVICE_AGENT: 'service-123456789012@gcp-sa-gsuiteaddons.iam.gserviceaccount.com',
    SERVICE_ACCOUNT_KEY_SECRET: 'spacelog-sa-key',
    OAUTH_CLIENT_ID: 'package-test.apps.example.test',
    OAUTH_REDIRECT_URL: 'https://oauth-callback.package.example.test/',
    // Nothing answers here: a function that called them at start-up would fail.
    CHAT_API_URL: 'http://127.0.0.1:9',
    SECRET_MANAGER_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: 'WARNING',
  };
}

async function serve(target: string): Promise<ServedFunction> {
  const fn = await serveFunction(PACKAGE_DIR, target, emulatorEnv());
  served.push(fn);
  return fn;
}

/** A signed classic MESSAGE in space `space`, numbered `n`. */
function message(space: string, n: number): RequestInit {
  return {
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${mintEndpointIdToken(certs, { audience: AUDIENCE })}`,
    },
    body: JSON.stringify({
      type: 'MESSAGE',
      eventTime: new Date(Date.UTC(2026, 11, 4, 10, 0, n)).toISOString(),
      space: { name: space, type: 'ROOM', spaceType: 'SPACE' },
      user: { name: 'users/7', displayName: 'Ada', type: 'HUMAN' },
      message: { name: `${space}/messages/m${n}`, text: 'hello', argumentText: 'hello' },
    }),
  };
}

beforeAll(async () => {
  buildPackage();
  certs = await startCerts();
}, 180_000);

afterAll(async () => {
  for (const fn of served) fn.stop();
  await certs.close();
});

describe('the deployable package', () => {
  it('serves chatEvents: a signed message is recorded once and answered the same on a retry', async () => {
    const fn = await serve('chatEvents');
    const space = `spaces/PKG${RUN}`;
    const first = await fn.firstAnswer(() => message(space, 1));
    expect(first.status, fn.output()).toBe(200);
    const reply = (await first.json()) as { text?: string };
    expect(reply.text).toMatch(/^I have recorded 1 event in this space\./);

    const retry = await fetch(fn.url, { method: 'POST', ...message(space, 1) });
    expect(await retry.json()).toEqual(reply);
    const next = await fetch(fn.url, { method: 'POST', ...message(space, 2) });
    expect(((await next.json()) as { text?: string }).text).toMatch(/^I have recorded 2 events/);
  });

  it('serves chatEvents refusing a request without a token, and a body that is not JSON without a stack', async () => {
    const fn = await serve('chatEvents');
    const unsigned = await fn.firstAnswer(() => ({
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }));
    expect(unsigned.status).toBe(401);
    const broken = await fetch(fn.url, {
      method: 'POST',
      headers: message('spaces/X', 1).headers,
      body: '{"type": "MESSAGE", ',
    });
    expect(broken.status).toBe(400);
    expect(await broken.text()).not.toMatch(/SyntaxError|at JSON\.parse|node_modules/);

    // The framework prints the refused body's error; it reaches the log redacted.
    const secret = `TOP SECRET ${RUN}`;
    const headers = message('spaces/X', 2).headers;
    await fetch(fn.url, { method: 'POST', headers, body: `{"text": "${secret}", ` });
    await new Promise((r) => setTimeout(r, 200));
    expect(fn.output()).not.toContain(secret);
    expect(fn.output()).toContain('The request body could not be read');
  });

  // What Pub/Sub pushes: a message chatPubsub cannot read is kept and acknowledged,
  // and a tick with no space due publishes nothing; both answer 2xx, not a retry.
  it.each([
    ['chatPubsub', 'spacelog-alerts', 'not a command'],
    ['scheduledDigest', 'spacelog-digest-tick', '{}'],
  ])('serves %s: a push on %s is handled and acknowledged', async (target, topic, data) => {
    const fn = await serve(target);
    await fn.firstAnswer(() => ({ method: 'GET' }));
    const status = await deliver(fn.url, PROJECT, { topic, data, messageId: `${target}-${RUN}` });
    expect(status, fn.output()).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(300);
  });

  it('serves oauthCallback: a callback without a valid state is refused with a page', async () => {
    const fn = await serve('oauthCallback');
    const answer = await fn.firstAnswer(() => ({ method: 'GET' }));
    const refused = await fetch(`${fn.url}?state=forged&code=abc`);
    expect(answer.status).toBeLessThan(500);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/text\/html/);
  });
});
