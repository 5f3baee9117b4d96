/**
 * Assembles `chatPubsub` from configuration: the event log, projections and
 * refused-input store (Firestore, or memory locally), the REST publisher,
 * the Chat client with Secret Manager credentials, user sign-in when it is
 * set up, Spacelog's app, the incident workflow, the digest and Workspace
 * Events handlers, and the routes. It reads no environment and opens no
 * connection: clients connect on first use. The entry module calls it once
 * per instance; tests call it with their own configuration and overrides.
 */
import type { Firestore } from '@google-cloud/firestore';
import {
  buildSpacelogApp,
  streamDigestSettings,
  userSignInEnabled,
} from '../app/spacelog/index.js';
import type { ChatApp } from '../app/types.js';
import { systemClock, type Clock } from '../clock.js';
import { required, type Config } from '../config.js';
import { digestServicesFromConfig } from '../digest/from-config.js';
import { eventStoreFromConfig } from '../eventlog/from-config.js';
import type { EventStore } from '../eventlog/index.js';
import { createFirestore } from '../firestore.js';
import { createRuntimeAuth } from '../google-auth.js';
import { incidentSettingsFrom, type IncidentDeps } from '../incidents/index.js';
import { createLogger, type Logger } from '../log.js';
import { createOutbound, type Outbound } from '../outbound/index.js';
import { systemRuntime, type OutboundRuntime } from '../outbound/runtime.js';
import { createProjector } from '../projections/index.js';
import type { Publisher } from '../pubsub.js';
import { createPublisher } from '../pubsub-rest.js';
import {
  createFirestoreRejectedStore,
  createMemoryRejectedStore,
  type RejectedStore,
} from '../rejected.js';
import { createSecretReader, type SecretReader } from '../secrets.js';
import { createUserAuth, secretManagerVersionAccess, type UserAuth } from '../user-auth/index.js';
import { chatPubsubRoutes } from './chat-pubsub-routes.js';
import { buildPubsubHandler, type PubsubEventHandler } from './handler.js';

/** The function's registered name. */
export const CHAT_PUBSUB = 'chatPubsub';

/** Collaborators a caller may supply instead of the ones built from configuration. */
export interface ChatPubsubOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly firestore?: Firestore;
  readonly events?: EventStore;
  readonly rejected?: RejectedStore;
  readonly publisher?: Publisher;
  readonly secrets?: SecretReader;
  /** The network, timers and chance of outbound calls. */
  readonly runtime?: OutboundRuntime;
  readonly outbound?: Outbound;
  /** User sign-in; built from configuration when `OAUTH_CLIENT_ID` is set. */
  readonly userAuth?: Pick<UserAuth, 'gate' | 'userTokens' | 'signOut'>;
}

/** Builds the `chatPubsub` handler for `config`; throws `misconfigured` when it cannot run. */
export function buildChatPubsubFromConfig(
  config: Config,
  overrides: ChatPubsubOverrides = {},
): PubsubEventHandler {
  const clock = overrides.clock ?? systemClock;
  const logger =
    overrides.logger ?? createLogger({ level: config.logLevel, base: { function: CHAT_PUBSUB } });
  const runtime = overrides.runtime ?? { ...systemRuntime(logger), clock };
  checkIncidentSettings(config, logger);

  const local = config.eventStore === 'memory';
  let firestore = overrides.firestore;
  const db = () => (firestore ??= createFirestore(config));
  const events = overrides.events ?? eventStoreFromConfig(config, db, clock);
  const limits = {
    maxBytes: config.rejectedMaxBytes,
    retentionDays: config.rejectedRetentionDays,
    maxWritesPerMinute: config.rejectedMaxWritesPerMinute,
  };
  const rejected =
    overrides.rejected ??
    (local
      ? createMemoryRejectedStore({ ...limits, clock, logger })
      : createFirestoreRejectedStore(db(), { ...limits, clock, logger }));

  const runtimeAuth = createRuntimeAuth(config);
  const secrets = overrides.secrets ?? createSecretReader(config, runtimeAuth);
  const userAuth =
    overrides.userAuth ?? userAuthFrom(config, { db, secrets, events, clock, logger });
  const publisher = overrides.publisher ?? createPublisher(config, runtimeAuth, runtime);
  const outbound =
    overrides.outbound ??
    createOutbound(config, {
      secrets,
      logger,
      runtime,
      ...(userAuth && { userTokens: userAuth.userTokens }),
    });

  const digest = digestServicesFromConfig(config, CHAT_PUBSUB, {
    logger,
    clock,
    events,
    publisher,
    outbound,
    ...(!local && { firestore: db() }),
  });
  const projector = createProjector({ events, store: digest.job.projections });
  const incidents: IncidentDeps = {
    events,
    chat: outbound.chat,
    clock,
    logger,
    settings: incidentSettingsFrom(config),
    ...(userAuth && { gate: userAuth.gate }),
    onRecorded: async (stream) => void (await projector.catchUp({ streams: [stream] })),
  };
  const app = pubsubApp(config, { events, publisher, clock, logger }, outbound, userAuth);

  return buildPubsubHandler({
    source: CHAT_PUBSUB,
    rejected,
    logger,
    routes: chatPubsubRoutes({
      clock,
      alertsTopic: config.alertsTopic,
      incidents,
      digestJob: digest.job,
      workspace: digest.workspace,
      interactions: { app, chat: outbound.chat, events, clock },
    }),
  });
}

/**
 * Spacelog's app, built as `chatEvents` builds it, with user sign-in (when
 * set up) from what this function built for its Chat client.
 */
function pubsubApp(
  config: Config,
  services: { events: EventStore; publisher: Publisher; clock: Clock; logger: Logger },
  outbound: Outbound,
  userAuth: Pick<UserAuth, 'gate' | 'signOut'> | undefined,
): ChatApp {
  const features = userAuth && {
    gate: userAuth.gate,
    chat: outbound.chat,
    signOut: userAuth.signOut,
  };
  return buildSpacelogApp(
    { ...services, digestSettings: streamDigestSettings(services.events), config },
    features && (() => Promise.resolve(features)),
  );
}

function userAuthFrom(
  config: Config,
  deps: {
    db: () => Firestore;
    secrets: SecretReader;
    events: EventStore;
    clock: Clock;
    logger: Logger;
  },
): UserAuth | undefined {
  if (config.incidentSpaceMode === 'user') {
    required(config, 'oauthClientId', 'when INCIDENT_SPACE_MODE is user');
  }
  if (!userSignInEnabled(config)) return undefined;
  return createUserAuth(config, {
    db: deps.db(),
    secrets: deps.secrets,
    secretVersions: secretManagerVersionAccess({
      url: config.secretManagerUrl,
      auth: createRuntimeAuth(config),
    }),
    events: deps.events,
    clock: deps.clock,
    logger: deps.logger,
  });
}

/** Start-up checks of the incident settings: what cannot work stops the instance. */
function checkIncidentSettings(config: Config, logger: Logger): void {
  if (config.incidentSpaceMode === 'delegated') {
    required(config, 'incidentDelegatedUser', 'when INCIDENT_SPACE_MODE is delegated');
  }
  if (config.incidentSpaceMode === 'app' && !config.appScopesApproved) {
    // Not fatal: interactions and digests still work; incidents are retried until approval.
    logger.warn(
      'INCIDENT_SPACE_MODE=app needs CHAT_APP_SCOPES_APPROVED=true once an administrator approved chat.app.* scopes.',
      { setting: 'CHAT_APP_SCOPES_APPROVED' },
    );
  }
}
