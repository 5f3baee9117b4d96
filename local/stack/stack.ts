/**
 * The whole of Spacelog on one machine: emulators (or their in-memory
 * fallbacks), the stand-ins of Google's endpoints, the four functions served
 * by the functions framework, the Pub/Sub wiring between them, and the page
 * that plays Google Chat. `startStack` starts it all; `stop` ends all of it.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../shared/config.js';
import { emulatorAvailable, freePort, startEmulator, type RunningEmulator } from '../emulators.js';
import { createChatPlayer } from './chat-player.js';
import { createChatWriter } from './chat-writer.js';
import { DEMO_PROJECT, DEMO_USERS, userName } from './demo.js';
import { createDelivery, publishBytes } from './delivery.js';
import { startWorkspaceEvents } from '../standins/workspace-events.js';
import { createEventLogFeed } from './event-log-feed.js';
import { openEventLogReader } from './event-log-reader.js';
import { functionEnvironment, inheritedEnvironment, type StackEndpoints } from './function-env.js';
import { entryFileLabel, presentFunctions, type FunctionName } from './function-targets.js';
import { startFunctions, type LineSink, type RunningFunctions } from './functions.js';
import { createOperator } from './operator.js';
import { untilClosed } from './ports.js';
import type { StackOptions } from './options.js';
import { wireEmulator } from './pubsub-emulator.js';
import { startStandIns, type StandIns } from './standins.js';
import { startTopicRouter } from './topic-router.js';
import { topicRoutes } from './topics.js';
import { CONFIG_COMPLETE_PATH, startWebServer } from './web-server.js';

const WEB_DIR = fileURLToPath(new URL('../web', import.meta.url));

/** A running stack. */
export interface Stack {
  /** The page, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** Ids of every process the stack started (functions, emulators' launchers). */
  readonly pids: readonly number[];
  stop(): Promise<void>;
  /** The stack's parts, for tools that drive it (the soak). */
  readonly parts: StackParts;
}

/** What a driver of the stack reaches: stand-ins, endpoints, settings, delivery. */
export interface StackParts {
  readonly standIns: StandIns;
  readonly endpoints: StackEndpoints;
  /** The functions' configuration, as they load it. */
  readonly config: Config;
  readonly delivery: ReturnType<typeof createDelivery>;
}

/** What a driver may change about how the stack starts. */
export interface StackExtras {
  /**
   * `127.0.0.1:PORT` of a Firestore emulator the caller runs (and stops):
   * the stack starts none and gives the functions this one.
   */
  readonly firestoreHost?: string;
}

/** Where the stack tells its story: one human line at a time. */
export type Say = (line: string) => void;

const INSTALL_HINT =
  'Install the gcloud CLI with google-cloud-cli-firestore-emulator, ' +
  'google-cloud-cli-pubsub-emulator and a Java runtime to use the emulators.';

/** Starts everything; on failure, stops what it had started and rethrows. */
export async function startStack(
  options: StackOptions,
  say: Say,
  sink: LineSink,
  extras: StackExtras = {},
): Promise<Stack> {
  const stops: (() => Promise<void>)[] = [];
  const pids: number[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const ownFirestore = extras.firestoreHost === undefined;
    const useFirestore = !ownFirestore || (!options.inMemory && emulatorAvailable('firestore'));
    const usePubsub = !options.inMemory && emulatorAvailable('pubsub');
    say(
      useFirestore
        ? 'Event log: Firestore emulator.'
        : `Event log: in memory (${options.inMemory ? '--in-memory' : 'no Firestore emulator'}).`,
    );
    say(
      usePubsub
        ? 'Pub/Sub: the Pub/Sub emulator, push subscriptions to the functions.'
        : `Pub/Sub: in-process delivery (${options.inMemory ? '--in-memory' : 'no Pub/Sub emulator'}).`,
    );
    if (!options.inMemory && (!useFirestore || !usePubsub)) say(INSTALL_HINT);

    // The page's port comes first: Chat's configCompleteRedirectUrl points at it.
    const webPort = options.port === 0 ? await freePort() : options.port;
    const { present, missing } = presentFunctions();
    for (const name of missing)
      say(`Not started: ${name} (${entryFileLabel(name)} does not exist yet).`);
    const ports = new Map<FunctionName, number>();
    for (const name of present) ports.set(name, await freePort());
    const functionUrl = (name: FunctionName) => `http://127.0.0.1:${ports.get(name) ?? 0}`;
    const chatEventsUrl = `${functionUrl('chatEvents')}/chatEvents`;
    const oauthCallbackUrl = `${functionUrl('oauthCallback')}/oauthCallback`;

    const emulators = await Promise.all([
      useFirestore && ownFirestore ? startEmulator('firestore') : undefined,
      usePubsub ? startEmulator('pubsub') : undefined,
    ]);
    for (const emulator of emulators.filter((e): e is RunningEmulator => e !== undefined)) {
      // The launcher may exit before its Java server has let go of the port.
      stops.push(() => emulator.stop().then(() => untilClosed(emulator.host, 10_000)));
    }
    const [firestore, pubsub] = emulators;

    const config: Config = loadConfig(inheritedEnvironment());
    const standIns = await startStandIns({ redirectUri: oauthCallbackUrl, secretNames: config });
    stops.push(() => standIns.close());

    const routes = topicRoutes(config).filter((route) => ports.has(route.target));
    let pubsubUrl: string;
    if (pubsub) {
      await wireEmulator(pubsub.host, DEMO_PROJECT.id, routes, (r) => functionUrl(r.target));
      pubsubUrl = `http://${pubsub.host}`;
    } else {
      const router = await startTopicRouter({
        projectId: DEMO_PROJECT.id,
        routes,
        functionUrl: (r) => functionUrl(r.target),
        onDrop: (r, id, status) =>
          say(`Pub/Sub: gave up on message ${id} to ${r.target} (${status}).`),
      });
      stops.push(() => router.close());
      pubsubUrl = router.url;
    }

    const workspaceEvents = await startWorkspaceEvents({
      chat: standIns.chat,
      oauthUrl: standIns.oauth.url,
      publish: async (topic, message) => {
        await publishBytes(pubsubUrl, topic, message.data, message.attributes);
      },
    });
    stops.push(() => workspaceEvents.close());

    const endpoints: StackEndpoints = {
      pageUrl: `http://127.0.0.1:${webPort}`,
      chatEventsUrl,
      oauthCallbackUrl,
      chatApiUrl: standIns.chat.url,
      oauthUrl: standIns.oauth.url,
      chatCertsUrl: standIns.certs.chatCertsUrl,
      googleCertsUrl: standIns.certs.googleCertsUrl,
      secretManagerUrl: standIns.secrets.url,
      pubsubUrl,
      workspaceEventsUrl: workspaceEvents.url,
      ...(firestore ? { firestoreEmulatorHost: firestore.host } : {}),
      ...(extras.firestoreHost !== undefined && { firestoreEmulatorHost: extras.firestoreHost }),
    };
    const env = {
      ...inheritedEnvironment(),
      ...functionEnvironment(endpoints, options.audienceKind),
    };
    let functions: RunningFunctions | undefined;
    if (ports.size > 0) {
      functions = await startFunctions({ ports, shared: !useFirestore, env, sink });
      const running = functions;
      stops.push(() => running.stop());
      pids.push(...running.pids);
    }
    const functionConfig = loadConfig(env);

    const reader = openEventLogReader(functionConfig);
    stops.push(() => reader.close());
    const log = createEventLogFeed(reader.store, {
      onError: (error) => say(`Event log: read failed (${(error as Error).message}); retrying.`),
    });
    stops.push(() => Promise.resolve(log.stop()));

    const commands = [
      { id: functionConfig.commandIdHelp, name: '/help' },
      { id: functionConfig.commandIdDigest, name: '/digest' },
      { id: functionConfig.commandIdIncident, name: '/incident' },
      { id: functionConfig.commandIdMyspaces, name: '/myspaces' },
      { id: functionConfig.commandIdSignout, name: '/signout' },
    ];
    const writer = createChatWriter({
      chatApiUrl: standIns.chat.url,
      tokenUrl: standIns.oauth.tokenUrl,
      key: standIns.serviceAccountKey,
    });
    const delivery = createDelivery({
      keys: standIns.certs,
      kind: options.audienceKind,
      chatEventsUrl,
      pubsubUrl,
    });
    const player = createChatPlayer({
      chat: standIns.chat,
      writer,
      delivery,
      commands,
      configCompleteRedirectUrl: `http://127.0.0.1:${webPort}${CONFIG_COMPLETE_PATH}`,
    });
    const web = await startWebServer({
      port: webPort,
      webDir: WEB_DIR,
      chat: standIns.chat,
      player,
      operator: createOperator({ pubsubUrl, config: functionConfig }),
      log,
      info: {
        mode: `${useFirestore ? 'Firestore emulator' : 'in-memory event log'}, ${pubsub ? 'Pub/Sub emulator' : 'in-process Pub/Sub'}`,
        audienceKind: options.audienceKind,
        logReadable: reader.store !== undefined,
        commands,
        functions: Object.fromEntries([...ports.keys()].map((name) => [name, functionUrl(name)])),
        emulators: Object.fromEntries(
          emulators
            .filter((e): e is RunningEmulator => e !== undefined)
            .map((e) => [e.kind, e.host]),
        ),
        people: DEMO_USERS.map((user) => ({ name: userName(user), displayName: user.displayName })),
      },
    });
    stops.push(() => web.close());

    const parts = { standIns, endpoints, config: functionConfig, delivery };
    return { url: `${web.url}/`, pids, stop: stopAll, parts };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
