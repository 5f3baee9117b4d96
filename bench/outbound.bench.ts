/**
 * Outbound Chat API calls against the stand-ins, in process on loopback:
 *
 * - `outbound.secret-accesses`: Secret Manager accesses per 1,000 messages
 *   one instance sends, over the same for a client that reads the key per
 *   message (measured on 100 messages, scaled). Goal: value <= 1.
 * - `outbound.token-mints`: token requests per 1,000 messages, likewise.
 *   Goal: value <= 1.
 * - `outbound.fanout`: messages a second delivered to 200 spaces by one
 *   instance with the default settings (60 writes a minute per space, 3,000
 *   per project) against a Chat stand-in enforcing Chat's per-space and
 *   per-project write quotas, over the most those quotas allow:
 *   min(3,000/min, 200 x 60/min) = 50/s. Goal: ratio >= 0.8.
 *   To cover several quota windows in a bounded run, the stand-in's clock runs
 *   ten times fast and its quotas are a tenth (6 per space, 300 per project
 *   per stand-in minute): the same 1/s per space and 50/s per project, in
 *   6-second windows. The client is not scaled. One side effect: a 429's
 *   Retry-After is in stand-in seconds, ten times too long for the client.
 */
import { startCerts } from '../local/standins/certs.js';
import { startChatApi, type ChatApiStandIn } from '../local/standins/chat-api.js';
import { createServiceAccountKey } from '../local/standins/keys.js';
import { startOAuth, type OAuthStandIn } from '../local/standins/oauth.js';
import { startSecretManager, type SecretManagerStandIn } from '../local/standins/secret-manager.js';
import type { Clock } from '../shared/clock.js';
import { loadConfig } from '../shared/config.js';
import { createRuntimeAuth } from '../shared/google-auth.js';
import { silentLogger } from '../shared/log.js';
import { createOutbound, requestIdFor } from '../shared/outbound/index.js';
import { createSecretReader } from '../shared/secrets.js';
import { figure, type Bench, type Figure } from './figure.js';

const PROJECT = 'bench-outbound';
const KEY_SECRET = 'spacelog-chat-sa-key';
const FANOUT_SPACES = 200;
const FANOUT_SECONDS = 24;
const SPEEDUP = 10;

interface World {
  readonly oauth: OAuthStandIn;
  readonly secrets: SecretManagerStandIn;
  close(): Promise<void>;
}

async function startWorld(): Promise<World> {
  const certs = await startCerts();
  const oauth = await startOAuth({ googleKey: () => certs.googleKey });
  const secrets = await startSecretManager({ projectId: PROJECT });
  const key = createServiceAccountKey(`app@${PROJECT}.iam.gserviceaccount.com`, PROJECT);
  oauth.registerServiceAccount(key);
  secrets.addVersion(KEY_SECRET, JSON.stringify(key.json));
  return {
    oauth,
    secrets,
    close: async () => {
      await Promise.all([secrets.close(), oauth.close(), certs.close()]);
    },
  };
}

/** One instance's outbound stack against `chat`, built from settings. */
function instance(world: World, chat: ChatApiStandIn, env: Record<string, string> = {}) {
  const config = loadConfig({
    GOOGLE_CLOUD_PROJECT: PROJECT,
    RUNTIME_CREDENTIALS: 'none-local-only',
    CHAT_API_URL: chat.url,
    OAUTH_TOKEN_URL: world.oauth.tokenUrl,
    SECRET_MANAGER_URL: world.secrets.url,
    SERVICE_ACCOUNT_KEY_SECRET: KEY_SECRET,
    ...env,
  });
  const secrets = createSecretReader(config, createRuntimeAuth(config));
  return createOutbound(config, { secrets, logger: silentLogger });
}

function addSpaces(chat: ChatApiStandIn, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => chat.addSpace({ name: `spaces/B${i}` }).name ?? '',
  );
}

/** Sends `count` messages round-robin over `spaces`, `parallel` at a time. */
async function sendMany(
  send: (space: string, n: number) => Promise<unknown>,
  spaces: readonly string[],
  count: number,
  parallel: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < count; n = next++) await send(spaces[n % spaces.length] ?? '', n);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

async function perThousand(world: World): Promise<Figure[]> {
  const unlimited = { perSpaceWritesPerMinute: 1e6, perProjectMessageWritesPerMinute: 1e6 };
  const chat = await startChatApi({ oauthUrl: world.oauth.url, limits: unlimited });
  try {
    const spaces = addSpaces(chat, 100);
    const fast = { SPACE_WRITES_PER_MINUTE: '600', CHAT_PROJECT_WRITES_PER_MINUTE: '100000' };
    const counts = () => [
      world.secrets.accessCount(KEY_SECRET),
      world.oauth.counts().tokenRequests,
    ];
    const message = (n: number, run: string) => ({
      message: { text: `message ${n}` },
      requestId: requestIdFor(`bench:${run}:${n}`, 'post'),
    });

    const [a0 = 0, t0 = 0] = counts();
    const shared = instance(world, chat, fast);
    await sendMany(
      (space, n) => shared.chat.createMessage({ space, ...message(n, 'one') }),
      spaces,
      1000,
      50,
    );
    const [a1 = 0, t1 = 0] = counts();

    // Baseline: a client that reads the key and mints a token for every message.
    const naive = 100;
    await sendMany(
      (space, n) =>
        instance(world, chat, fast).chat.createMessage({ space, ...message(n, 'naive') }),
      spaces,
      naive,
      10,
    );
    const [a2 = 0, t2 = 0] = counts();
    const scale = 1000 / naive;
    return [
      figure('outbound.secret-accesses', a1 - a0, 'accesses/1000 msgs', (a2 - a1) * scale, {
        max: 1,
        on: 'value',
      }),
      figure('outbound.token-mints', t1 - t0, 'mints/1000 msgs', (t2 - t1) * scale, {
        max: 1,
        on: 'value',
      }),
    ];
  } finally {
    await chat.close();
  }
}

async function fanout(world: World): Promise<Figure> {
  const start = Date.now();
  const fastClock: Clock = { now: () => new Date(start + (Date.now() - start) * SPEEDUP) };
  const limits = {
    perSpaceWritesPerMinute: 60 / SPEEDUP,
    perProjectMessageWritesPerMinute: 3000 / SPEEDUP,
  };
  const chat = await startChatApi({ oauthUrl: world.oauth.url, limits, clock: fastClock });
  try {
    const spaces = addSpaces(chat, FANOUT_SPACES);
    const app = instance(world, chat);
    // Warm up: key read and token minted before the clock starts.
    await app.chat.getSpace(spaces[0] ?? '');

    const began = performance.now();
    const until = began + FANOUT_SECONDS * 1000;
    let delivered = 0;
    let failed = 0;
    const perSpace = async (space: string) => {
      for (let n = 0; performance.now() < until; n++) {
        try {
          await app.chat.createMessage({
            space,
            message: { text: `fan-out ${n}` },
            requestId: requestIdFor(`fanout:${space}:${n}`, 'post'),
          });
          if (performance.now() <= until) delivered += 1;
        } catch {
          failed += 1;
        }
      }
    };
    await Promise.all(spaces.map(perSpace));
    const refused = chat.calls().filter((c) => c.status === 429).length;
    console.error(
      `outbound.fanout: ${delivered} delivered, ${failed} failed, ${refused} answered 429`,
    );

    const allowed = Math.min(3000 / 60, (FANOUT_SPACES * 60) / 60);
    return figure('outbound.fanout', delivered / FANOUT_SECONDS, 'msgs/s', allowed, { min: 0.8 });
  } finally {
    await chat.close();
  }
}

export const run: Bench = async () => {
  const world = await startWorld();
  try {
    return [...(await perThousand(world)), await fanout(world)];
  } finally {
    await world.close();
  }
};
