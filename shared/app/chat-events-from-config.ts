/**
 * Assembles `chatEvents` from configuration: the verifier (failing closed),
 * the event log (Firestore, or memory locally), the refused-input store, the
 * REST publisher, Spacelog's app and the HTTP handler. It reads no
 * environment and opens no connection: clients connect on first use. The
 * entry module calls it once per instance; tests call it with their own
 * configuration and fakes.
 *
 * Cold start: the event log goes through Firestore's REST API
 * (`firestore-rest-store.ts`), and what needs the Firestore client library
 * (refused inputs, user sign-in features) imports it on first use, so a
 * plain message never loads it.
 */
import type { Firestore } from '@google-cloud/firestore';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { createFirestoreRestEventStore } from '../eventlog/firestore-rest-store.js';
import { processMemoryEventStore } from '../eventlog/memory-store.js';
import type { EventStore } from '../eventlog/types.js';
import { createFirestoreRest } from '../firestore-rest.js';
import type { FetchLike } from '../http/client.js';
import { createLogger, type Logger } from '../log.js';
import { systemRuntime } from '../outbound/runtime.js';
import type { Publisher } from '../pubsub.js';
import { createPublisher } from '../pubsub-rest.js';
import type { RejectedLimits, RejectedStore } from '../rejected.js';
import { runtimeHeadersOnDemand } from '../runtime-headers.js';
import { verifierFromConfig } from '../verify/from-config.js';
import { buildChatEventsHandler, type ChatEventsHandler } from './http-handler.js';
import {
  buildSpacelogApp,
  loadOnce,
  streamDigestSettings,
  userSignInEnabled,
} from './spacelog/index.js';

/** Collaborators a caller may supply instead of the ones built from configuration. */
export interface ChatEventsOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Fetch for certificate downloads. */
  readonly fetchCerts?: FetchLike;
  readonly events?: EventStore;
  readonly publisher?: Publisher;
  readonly rejected?: RejectedStore;
  readonly firestore?: Firestore;
}

/** Builds the `chatEvents` handler for `config`; throws `misconfigured` when it cannot run. */
export function buildChatEventsFromConfig(
  config: Config,
  overrides: ChatEventsOverrides = {},
): ChatEventsHandler {
  const clock = overrides.clock ?? systemClock;
  const logger =
    overrides.logger ?? createLogger({ level: config.logLevel, base: { function: 'chatEvents' } });
  const verifier = verifierFromConfig(config, clock, overrides.fetchCerts);
  if (config.chatVerification === 'off-local-only') {
    logger.warn('Chat request verification is OFF (CHAT_VERIFICATION=off-local-only).');
  }

  const local = config.eventStore === 'memory';
  const runtimeHeaders = runtimeHeadersOnDemand(config, clock);
  let firestore: Promise<Firestore> | undefined;
  const db = () =>
    (firestore ??= overrides.firestore
      ? Promise.resolve(overrides.firestore)
      : import('../firestore.js').then((m) => m.createFirestore(config)));
  const events =
    overrides.events ??
    (local
      ? processMemoryEventStore({ clock, storeMessageText: config.storeMessageText })
      : createFirestoreRestEventStore({
          rest: createFirestoreRest(config, runtimeHeaders),
          clock,
          storeMessageText: config.storeMessageText,
        }));
  const limits: RejectedLimits = {
    maxBytes: config.rejectedMaxBytes,
    retentionDays: config.rejectedRetentionDays,
    maxWritesPerMinute: config.rejectedMaxWritesPerMinute,
    clock,
    logger,
  };
  const rejected = overrides.rejected ?? rejectedOnDemand(local ? undefined : db, limits);
  const publisher =
    overrides.publisher ??
    createPublisher(config, { headers: runtimeHeaders }, systemRuntime(logger));

  // User sign-in (and the Firestore client it needs) loads with the first feature that uses it.
  const userFeatures = userSignInEnabled(config)
    ? loadOnce(async () => {
        const [wiring, firestore] = await Promise.all([import('../user-auth/wiring.js'), db()]);
        return wiring.userFeaturesFromConfig(config, { db: firestore, events, clock, logger });
      })
    : undefined;
  const app = buildSpacelogApp(
    { events, publisher, clock, logger, digestSettings: streamDigestSettings(events), config },
    userFeatures,
  );
  return buildChatEventsHandler({
    verifier,
    app,
    rejected,
    logger,
    clock,
    maxBodyBytes: config.maxBodyBytes,
    replyDeadlineMs: config.replyDeadlineMs,
    projectId: config.projectId,
    // Add-on buttons must name the endpoint URL as their function (the token audience).
    render:
      config.chatAudienceKind === 'add-on' && config.chatAudience !== undefined
        ? { actionUrl: config.chatAudience }
        : {},
  });
}

/**
 * The refused-input store (Firestore, or memory without `db`), its module
 * loaded with the first refusal; one store, so one write budget, per instance.
 */
function rejectedOnDemand(
  db: (() => Promise<Firestore>) | undefined,
  limits: RejectedLimits,
): RejectedStore {
  let store: Promise<RejectedStore> | undefined;
  const load = async () => {
    const m = await import('../rejected.js');
    return db === undefined
      ? m.createMemoryRejectedStore(limits)
      : m.createFirestoreRejectedStore(await db(), limits);
  };
  return {
    async keep(input) {
      try {
        await (await (store ??= load())).keep(input);
      } catch (error) {
        store = undefined;
        limits.logger.warn('A refused input could not be kept.', { error, reason: input.reason });
      }
    },
  };
}
