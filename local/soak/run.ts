/**
 * `runSoak`: the whole soak. Starts the stack (with the soak's own Firestore
 * emulator behind a relay), seeds the spaces, delivers the plan while the
 * faults happen, waits for the asynchronous work, checks, stops everything
 * and returns the report. `npm run soak` and the small run in `npm test`
 * both call it.
 */
import { createFirestoreEventStore } from '../../shared/eventlog/index.js';
import { spaceStream } from '../../shared/eventlog/index.js';
import { createFirestore } from '../../shared/firestore.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import { createFirestoreProjectionStore, createProjector } from '../../shared/projections/index.js';
import { chatAudience } from '../stack/function-env.js';
import { startStack, type Stack } from '../stack/stack.js';
import { checkChat, checkLog, checkMalformed, checkRetries } from './checks.js';
import { createDriver } from './driver.js';
import { scheduleFaults } from './faults.js';
import { startSoakFirestore, type SoakFirestore } from './firestore.js';
import type { SoakOptions } from './options.js';
import { buildPlan, type MalformedStep } from './plan.js';
import { createPlatform, makeAlerts } from './platform.js';
import { seededChance } from './random.js';
import { buildReport, type SoakReport } from './report.js';
import { readSecrets } from './secrets.js';
import { expectations, settle } from './settle.js';
import { eventMaker, seedSpaces, type SoakCommands } from './world.js';

/** Time from now to the earliest the digests may fall due (the setup events are made first). */
const DIGEST_MARGIN_MS = 5_000;
/** Cloud Scheduler ticks once a minute; the soak ticks more often, so digests post soon after. */
const TICK_EVERY_MS = 5_000;

/** Runs the soak; `say` hears progress lines; aborting `signal` stops everything it started. */
export async function runSoak(
  options: SoakOptions,
  say: (line: string) => void,
  signal?: AbortSignal,
): Promise<SoakReport> {
  const started = Date.now();
  const lines: string[] = [];
  // The functions inherit this: a soak sends refused inputs far faster than the flood guard allows.
  process.env['REJECTED_MAX_WRITES_PER_MINUTE'] = '100000';
  // Every line the code can write is scanned for leaks, debug lines included.
  process.env['LOG_LEVEL'] ??= 'DEBUG';
  let firestore: SoakFirestore | undefined;
  let stack: Stack | undefined;
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      await stack?.stop();
      await firestore?.stop();
    })());
  signal?.addEventListener('abort', () => void stopAll());
  try {
    firestore = await startSoakFirestore();
    const sink = (label: string, line: string) => {
      lines.push(line);
      if (options.verbose) process.stdout.write(`[${label}] ${line}\n`);
    };
    const stackSay = (line: string) => {
      lines.push(line);
      if (options.verbose) say(line);
    };
    const stackOptions = {
      port: 0,
      inMemory: false,
      audienceKind: 'endpoint-url',
      quiet: true,
    } as const;
    stack = await startStack(stackOptions, stackSay, sink, { firestoreHost: firestore.host });
    const { standIns, endpoints, config } = stack.parts;
    say(`Stack up in ${Math.round((Date.now() - started) / 1000)} s.`);

    const chance = seededChance(options.seed);
    const spaces = seedSpaces(standIns.chat, options.spaces, 10);
    // Digests fall due at the next whole minute: the schedule counts from the
    // setup events' own times (made just below), not from when they arrive.
    const periodEnd = new Date(Math.ceil((Date.now() + DIGEST_MARGIN_MS) / 60_000) * 60_000);
    let lastTime = 0;
    const maker = eventMaker(standIns.chat, {
      redirectUrl: `${endpoints.pageUrl}/config-complete`,
      eventTime: () => new Date((lastTime = Math.max(Date.now(), lastTime + 1))).toISOString(),
    });
    const commands: SoakCommands = {
      help: { id: config.commandIdHelp, name: '/help' },
      digest: { id: config.commandIdDigest, name: '/digest' },
      incident: { id: config.commandIdIncident, name: '/incident' },
    };
    const digestTime = periodEnd.toISOString().slice(11, 16);
    const plan = buildPlan({
      interactions: options.interactions,
      spaces,
      commands,
      maker,
      chance,
      digestTime,
    });
    const setupTimes = plan.setup.map((s) => Date.parse(parseInteraction(s.body.json).eventTime));
    if (Math.max(...setupTimes) >= periodEnd.getTime()) {
      throw new Error(
        'The setup events were made after the digests fell due; nothing would be due.',
      );
    }
    const alerts = makeAlerts(Math.max(2, Math.round(options.interactions / 1000)), chance);
    const secrets = await readSecrets(standIns.secrets.url, config);

    const driver = createDriver({
      chatEventsUrl: endpoints.chatEventsUrl,
      pubsubUrl: endpoints.pubsubUrl,
      audience: chatAudience('endpoint-url', endpoints.chatEventsUrl),
      keys: standIns.certs,
      concurrency: options.concurrency,
    });
    const driveStarted = Date.now();
    await driver.run(plan.setup.filter((_, i) => i % 2 === 0));
    await driver.run(plan.setup.filter((_, i) => i % 2 === 1));
    say(`Setup: the app added to ${spaces.length} spaces, digests due at ${digestTime} UTC.`);

    const db = createFirestore({ ...config, firestoreEmulatorHost: firestore.emulatorHost });
    // No function sweeps the projections yet: the soak brings the digest schedules up to date.
    const projector = createProjector({
      events: createFirestoreEventStore({ db }),
      store: createFirestoreProjectionStore({ db }),
    });
    await projector.catchUp({ streams: spaces.map((s) => spaceStream(s.name)) });

    const platform = createPlatform(endpoints.pubsubUrl, config);
    platform.startTicks(TICK_EVERY_MS);
    const faults = scheduleFaults({ standIns, config, firestore, size: options.interactions, say });
    let fired = 0;
    let reported = 0;
    await driver.run(plan.main, (done) => {
      const fraction = done / plan.main.length;
      faults.progress(fraction);
      while (fired < alerts.length && (fired + 0.5) / alerts.length <= fraction) {
        const alert = alerts[fired++];
        if (alert) platform.fire(alert).catch((e: unknown) => faults.log.errors.push(String(e)));
      }
      if (fraction * 10 >= reported + 1) {
        reported = Math.floor(fraction * 10);
        say(`Delivered ${done} of ${plan.main.length} (${reported * 10} %).`);
      }
    });
    await faults.settled();
    const driveMs = Date.now() - driveStarted;

    const expected = expectations(plan, alerts, spaces, periodEnd);
    const pubsubMalformed = plan.main.filter(
      (s): s is MalformedStep => s.role === 'malformed' && s.transport === 'pubsub',
    ).length;
    const refusedLines = () =>
      lines.filter((l) => l.includes('Pub/Sub message refused and acknowledged.')).length;
    const settledInTime = await settle({
      chat: standIns.chat,
      platform,
      alerts,
      expected: expected.messages,
      lines: () => lines.length,
      refusalsDone: () => refusedLines() >= pubsubMalformed,
      deadline: Date.now() + options.settleSeconds * 1000,
      say,
    });
    platform.stop();
    say('Checking.');

    const events = createFirestoreEventStore({ db });
    const report = buildReport({
      options,
      plan,
      driver: driver.record,
      faults: faults.log,
      log: await checkLog(events, plan),
      malformed: await checkMalformed(db, plan),
      chat: checkChat(
        standIns.chat,
        expected.messages,
        expected.incidents,
        spaces.map((s) => s.name),
      ),
      retries: checkRetries(standIns.chat.calls()),
      lines,
      secrets,
      words: chance.madeWords(),
      driveMs,
      totalMs: Date.now() - started,
      settledInTime,
      ticks: platform.ticks(),
    });
    await db.terminate();
    return report;
  } finally {
    await stopAll();
  }
}
