/**
 * Assembles what digests and Workspace Events need from configuration: the
 * event log and projections (Firestore, or memory locally), the projector
 * that advances a schedule after a digest is recorded, the REST publisher,
 * the Chat client and webhook sender, and the Workspace Events client. It
 * reads no environment and opens no connection; `scheduledDigest` and
 * `chatPubsub` call it once per instance, tests with their own overrides.
 */
import type { Firestore } from '@google-cloud/firestore';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { eventStoreFromConfig } from '../eventlog/from-config.js';
import type { EventStore } from '../eventlog/index.js';
import { createFirestore } from '../firestore.js';
import { createRuntimeAuth } from '../google-auth.js';
import { createLogger, type Logger } from '../log.js';
import { createOutboundHttp } from '../outbound/http.js';
import { createOutbound, type Outbound } from '../outbound/index.js';
import { retryPolicyFrom } from '../outbound/retry.js';
import { systemRuntime } from '../outbound/runtime.js';
import {
  createFirestoreProjectionStore,
  createMemoryProjectionStore,
  createProjector,
  type ProjectionStore,
  type Projector,
} from '../projections/index.js';
import type { Publisher } from '../pubsub.js';
import { createPublisher } from '../pubsub-rest.js';
import { createSecretReader } from '../secrets.js';
import {
  createWorkspaceEventsClient,
  type WorkspaceEventDeps,
  type WorkspaceEventsClient,
} from '../workspace-events/index.js';
import type { DigestJobDeps } from './job.js';
import type { DigestTickDeps } from './tick.js';

/** Collaborators a caller may supply instead of those built from configuration. */
export interface DigestOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly firestore?: Firestore;
  readonly events?: EventStore;
  readonly projections?: ProjectionStore;
  readonly publisher?: Publisher;
  readonly outbound?: Pick<Outbound, 'chat' | 'webhooks' | 'tokens'>;
  readonly workspaceEvents?: WorkspaceEventsClient;
}

/** Everything the digest and Workspace Events handlers take. */
export interface DigestServices {
  readonly tick: DigestTickDeps;
  readonly job: DigestJobDeps;
  readonly workspace: WorkspaceEventDeps;
  /** Catches the projections up with the log (the tick's sweep). */
  readonly projector: Projector;
}

/** Builds the services for `config`; `name` labels the log lines. */
export function digestServicesFromConfig(
  config: Config,
  name: string,
  overrides: DigestOverrides = {},
): DigestServices {
  const clock = overrides.clock ?? systemClock;
  const logger =
    overrides.logger ?? createLogger({ level: config.logLevel, base: { function: name } });
  const runtime = { ...systemRuntime(logger), clock };
  const local = config.eventStore === 'memory';
  let firestore = overrides.firestore;
  const db = () => (firestore ??= createFirestore(config));

  const events = overrides.events ?? eventStoreFromConfig(config, db, clock);
  const projections =
    overrides.projections ??
    (local ? createMemoryProjectionStore() : createFirestoreProjectionStore({ db: db() }));
  const projector = createProjector({ events, store: projections });
  const runtimeAuth = createRuntimeAuth(config);
  const publisher = overrides.publisher ?? createPublisher(config, runtimeAuth, runtime);
  const outbound =
    overrides.outbound ??
    createOutbound(config, { secrets: createSecretReader(config, runtimeAuth), logger, runtime });
  const client =
    overrides.workspaceEvents ??
    createWorkspaceEventsClient({
      baseUrl: config.workspaceEventsUrl,
      http: createOutboundHttp(runtime, retryPolicyFrom(config)),
      tokens: outbound.tokens,
      sleep: runtime.sleep,
    });

  const workspace: WorkspaceEventDeps = {
    client,
    chat: outbound.chat,
    events,
    clock,
    logger,
    catchUpPages: config.workspaceEventsCatchUpPages,
    subscriptions: {
      enabled: config.appScopesApproved,
      pubsubTopic: `projects/${config.projectId}/topics/${config.workspaceEventsTopic}`,
      ttlSeconds: config.workspaceEventsTtlSeconds,
      renewWithinMinutes: config.workspaceEventsRenewWithinMinutes,
    },
  };
  return {
    tick: {
      projections,
      publisher,
      clock,
      logger,
      jobsTopic: config.digestJobsTopic,
      maxSpaces: config.digestTickMaxSpaces,
      concurrency: config.digestPublishConcurrency,
    },
    job: {
      events,
      projections,
      poster: { chat: outbound.chat, webhooks: outbound.webhooks },
      clock,
      logger,
      quiet: config.digestQuiet,
      onRecorded: async (event) => void (await projector.catchUp({ streams: [event.stream] })),
      refresh: async (stream) => void (await projector.catchUp({ streams: [stream] })),
    },
    workspace,
    projector,
  };
}
