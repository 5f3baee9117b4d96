/**
 * Digest figures, each over a baseline measured or fixed in the same run:
 *
 * - `digest.cost`: milliseconds to compose a digest of 200 new events when
 *   50,000 events precede them in the space's stream, over the same with
 *   1,000 before them (Firestore emulator; goal: ratio <= 1.3). The streams
 *   are seeded with batched writes of the log's version documents (the id
 *   claims are left out: composing never reads them). Each compose uses a
 *   store that has never seen the stream, as a new instance would.
 *
 * - `digest.fanout`: due spaces a minute that one tick delivers for 1,000
 *   spaces, from the tick to the last digest posted at the Chat API
 *   stand-in with Chat's quotas, over the most those quotas allow (3,000
 *   message writes a minute per project; goal: ratio >= 0.8). Jobs travel
 *   through the Pub/Sub emulator and are run by one consumer with up to 64
 *   jobs at a time, as one `chatPubsub` instance would. The event log and
 *   projections are in memory here, so the figure measures fan-out and
 *   pacing against the quota, not Firestore. 1,000 digests at the quota take
 *   20 s, within one quota window, so the stand-in's window is not scaled.
 */
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { startEmulator } from '../local/emulators.js';
import { startChatApi } from '../local/standins/chat-api.js';
import { createServiceAccountKey, createSigningKey } from '../local/standins/keys.js';
import { startOAuth } from '../local/standins/oauth.js';
import { parsePostDigest, type PostDigest } from '../shared/commands.js';
import { loadConfig } from '../shared/config.js';
import { composeDigest } from '../shared/digest/compose.js';
import { handleDigestJob, type DigestJobDeps } from '../shared/digest/job.js';
import { handleDigestTick } from '../shared/digest/tick.js';
import { logCollections, logRefs, toEventDoc } from '../shared/eventlog/firestore-layout.js';
import {
  createFirestoreEventStore,
  createMemoryEventStore,
  newEvent,
  spaceStream,
  type NewEvent,
} from '../shared/eventlog/index.js';
import { createFirestore } from '../shared/firestore.js';
import { createRuntimeAuth } from '../shared/google-auth.js';
import { silentLogger } from '../shared/log.js';
import { createOutbound } from '../shared/outbound/index.js';
import { systemRuntime } from '../shared/outbound/runtime.js';
import {
  createFirestoreProjectionStore,
  createMemoryProjectionStore,
  createProjector,
} from '../shared/projections/index.js';
import { createRestPublisher } from '../shared/pubsub-rest.js';
import { cachedSecrets } from '../shared/secrets.js';
import { figure, median, type Bench, type Figure } from './figure.js';

const NEW_EVENTS = 200;
const PERIOD_START = Date.UTC(2026, 4, 4, 7);
const PERIOD_END = PERIOD_START + 86_400_000;

function message(space: string, n: number, at: number): NewEvent & { recordedAt: string } {
  const sender = `users/${n % 20}`;
  const name = `${space}/messages/b${n}`;
  const e = newEvent('SpaceMessageCreated', {
    id: `chat:${name}:created`,
    stream: spaceStream(space),
    occurredAt: new Date(at),
    causedBy: { kind: 'user', id: sender },
    payload: {
      messageName: name,
      sender,
      threadName: `${space}/threads/t${n % 7}`,
      textLength: 40,
    },
  });
  return { ...e, recordedAt: new Date(at).toISOString() };
}

/** Writes versions 1..before+200 of `space`: `before` ahead of the period, 200 in it. */
async function seed(db: Firestore, prefix: string, space: string, before: number): Promise<void> {
  const refs = logRefs(db, logCollections(prefix));
  const total = before + NEW_EVENTS;
  const pending: Promise<unknown>[] = [];
  for (let start = 1; start <= total; start += 500) {
    const batch = db.batch();
    for (let v = start; v < Math.min(total + 1, start + 500); v++) {
      const at = v <= before ? PERIOD_START - 3_600_000 : PERIOD_START + (v - before) * 1000;
      const e = { ...message(space, v, at), version: v, schemaVersion: 1 };
      batch.set(refs.event(e.stream, v), toEventDoc(e, FieldValue.serverTimestamp()));
    }
    pending.push(batch.commit());
    if (pending.length >= 6) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

async function digestCost(): Promise<Figure> {
  const emulator = await startEmulator('firestore');
  try {
    const db = createFirestore({
      projectId: 'bench-digest-cost',
      firestoreDatabase: '(default)',
      firestoreEmulatorHost: emulator.host,
    });
    const prefix = 'digest_';
    const sizes = { small: 1_000, large: 50_000 } as const;
    await seed(db, prefix, 'spaces/SMALL', sizes.small);
    await seed(db, prefix, 'spaces/LARGE', sizes.large);
    const projections = createFirestoreProjectionStore({ db, collectionPrefix: prefix });

    const compose = async (space: string, before: number) => {
      const events = createFirestoreEventStore({ db, collectionPrefix: prefix });
      const schedule = {
        spaceName: space,
        inSpace: true,
        enabled: true,
        settings: {
          enabled: true,
          cadence: 'daily',
          timeOfDay: '09:00',
          timeZone: 'Europe/Berlin',
        },
        lastCheckpointVersion: before,
        lastPeriodEnd: new Date(PERIOD_START).toISOString(),
      } as const;
      const started = performance.now();
      const digest = await composeDigest(
        { events, projections },
        space,
        schedule,
        new Date(PERIOD_END),
      );
      const took = performance.now() - started;
      if (digest.eventsRead !== NEW_EVENTS) throw new Error(`composed ${digest.eventsRead} events`);
      return took;
    };
    for (let i = 0; i < 2; i++) {
      await compose('spaces/SMALL', sizes.small);
      await compose('spaces/LARGE', sizes.large);
    }
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < 9; i++) {
      small.push(await compose('spaces/SMALL', sizes.small));
      large.push(await compose('spaces/LARGE', sizes.large));
    }
    await db.terminate();
    return figure('digest.cost', median(large), 'ms', median(small), { max: 1.3 });
  } finally {
    await emulator.stop();
  }
}

const SPACES = 1_000;
const QUOTA = 3_000;
const WARM_UP = 30;

/** The Pub/Sub emulator's REST API: a topic with a pull subscription, and pulls. */
function emulatorTopic(host: string, project: string, topic: string) {
  const base = `http://${host}/v1/projects/${project}`;
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${base}/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`Pub/Sub emulator ${path}: ${res.status}`);
    return (await res.json()) as {
      receivedMessages?: { ackId: string; message: { data: string } }[];
    };
  };
  return {
    create: async () => {
      await call('PUT', `topics/${topic}`, {});
      await call('PUT', `subscriptions/${topic}-pull`, {
        topic: `projects/${project}/topics/${topic}`,
        ackDeadlineSeconds: 600,
      });
    },
    pull: async (max: number) => {
      const got = await call('POST', `subscriptions/${topic}-pull:pull`, {
        maxMessages: max,
        returnImmediately: true,
      });
      const received = got.receivedMessages ?? [];
      if (received.length > 0) {
        await call('POST', `subscriptions/${topic}-pull:acknowledge`, {
          ackIds: received.map((r) => r.ackId),
        });
      }
      return received.map(
        (r) => JSON.parse(Buffer.from(r.message.data, 'base64').toString()) as unknown,
      );
    },
  };
}

/** Runs pulled jobs as one `chatPubsub` instance would: a local buffer, 128 jobs in flight. */
async function consume(
  topic: ReturnType<typeof emulatorTopic>,
  run: (job: PostDigest) => Promise<string>,
  expected: number,
): Promise<{ posted: number; last: number }> {
  let posted = 0;
  let pulled = 0;
  let last = performance.now();
  const running = new Set<Promise<void>>();
  const deadline = performance.now() + 150_000;
  while (posted < expected && performance.now() < deadline) {
    const room = 128 - running.size;
    const jobs = room > 0 && pulled < expected ? (await topic.pull(room)).map(parsePostDigest) : [];
    pulled += jobs.length;
    for (const j of jobs) {
      const done = run(j).then((outcome) => {
        if (outcome === 'posted') posted += 1;
        last = performance.now();
        running.delete(done);
      });
      running.add(done);
    }
    if (jobs.length === 0) {
      await Promise.race([...running, new Promise((r) => setTimeout(r, 10))]);
    }
  }
  await Promise.all(running);
  return { posted, last };
}

async function digestFanout(): Promise<Figure> {
  const emulator = await startEmulator('pubsub');
  const oauth = await startOAuth({ googleKey: createSigningKey() });
  const key = createServiceAccountKey('app@bench-digest.iam.gserviceaccount.com', 'bench-digest');
  oauth.registerServiceAccount(key);
  const chat = await startChatApi({ oauthUrl: oauth.url });
  try {
    const config = loadConfig({
      GOOGLE_CLOUD_PROJECT: 'bench-digest',
      CHAT_API_URL: chat.url,
      OAUTH_TOKEN_URL: oauth.tokenUrl,
      RUNTIME_CREDENTIALS: 'none-local-only',
    });
    const runtime = systemRuntime(silentLogger);
    const secrets = cachedSecrets(config.projectId, () =>
      Promise.resolve(JSON.stringify(key.json)),
    );
    const outbound = createOutbound(config, { secrets, logger: silentLogger, runtime });

    // Spaces are seeded a day back, so their digests are due now with a period's events.
    let seedAt: Date | undefined;
    const clock = { now: () => seedAt ?? new Date() };
    const events = createMemoryEventStore({ clock });
    const projections = createMemoryProjectionStore();
    const projector = createProjector({ events, store: projections });
    const seedSpaces = async (count: number, label: string) => {
      const now = Date.now();
      const at = new Date(now - 86_400_000 - 600_000);
      seedAt = at;
      const due = new Date(now - 300_000).toISOString().slice(11, 16);
      for (let i = 0; i < count; i++) {
        const space = chat.addSpace({ displayName: `${label} ${i}`, members: ['users/1'] }).name!;
        const base = {
          stream: spaceStream(space),
          occurredAt: at,
          causedBy: { kind: 'user', id: 'users/1' },
        } as const;
        await events.append(
          newEvent('AppAddedToSpace', {
            ...base,
            id: `${label}-a${i}`,
            payload: { spaceName: space, spaceType: 'SPACE' },
          }),
        );
        await events.append(
          newEvent('DigestSettingsChanged', {
            ...base,
            id: `${label}-s${i}`,
            payload: { enabled: true, cadence: 'daily', timeOfDay: due, timeZone: 'UTC' },
          }),
        );
        for (let m = 0; m < 3; m++) await events.append(message(space, i * 10 + m, at.getTime()));
      }
      await projector.catchUp();
      seedAt = undefined;
    };

    const topic = emulatorTopic(emulator.host, config.projectId, 'digest-jobs');
    await topic.create();
    const publisher = createRestPublisher({
      projectId: config.projectId,
      pubsubUrl: `http://${emulator.host}`,
      auth: createRuntimeAuth(config),
      runtime,
    });
    const job: DigestJobDeps = {
      events,
      projections,
      poster: outbound,
      clock,
      logger: silentLogger,
      quiet: 'note',
      onRecorded: async (e) => void (await projector.catchUp({ streams: [e.stream] })),
    };
    const tickDeps = {
      projections,
      publisher,
      clock,
      logger: silentLogger,
      jobsTopic: 'digest-jobs',
      maxSpaces: SPACES,
      concurrency: 32,
    };
    const deliver = async (count: number) => {
      const started = performance.now();
      const [, done] = await Promise.all([
        handleDigestTick(tickDeps),
        consume(topic, (j) => handleDigestJob(job, j), count),
      ]);
      if (done.posted < count) throw new Error(`only ${done.posted} of ${count} digests posted`);
      return done.last - started;
    };

    // Warm-up (JIT, the emulator, the app's token) with a few spaces, then the measured tick.
    await seedSpaces(WARM_UP, 'warm');
    await deliver(WARM_UP);
    await seedSpaces(SPACES, 'bench');
    const took = await deliver(SPACES);

    const refused = chat.calls().filter((c) => c.status === 429).length;
    if (refused > 0) console.error(`digest.fanout: the Chat stand-in refused ${refused} writes`);
    return figure('digest.fanout', SPACES / (took / 60_000), 'spaces/min', QUOTA, { min: 0.8 });
  } finally {
    await chat.close();
    await oauth.close();
    await emulator.stop();
  }
}

/** `DIGEST_BENCH=cost` or `fanout` runs one figure only. */
export const run: Bench = async () => {
  const only = process.env['DIGEST_BENCH'];
  return [
    ...(only === 'fanout' ? [] : [await digestCost()]),
    ...(only === 'cost' ? [] : [await digestFanout()]),
  ];
};
