/**
 * Assembles `chatEvents` from configuration: the verifier (failing closed),
 * the event log (Firestore, or memory locally), the refused-input store, the
 * REST publisher, Spacelog's app and the HTTP handler. It reads no
 * environment and opens no connection: clients connect on first use. The
 * entry module calls it once per instance; tests call it with their own
 * configuration and fakes.
 */
import type { Firestore } from '@google-cloud/firestore';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { createFirestoreEventStore } from '../eventlog/firestore-store.js';
import { createMemoryEventStore, type EventStore } from '../eventlog/index.js';
import { createFirestore } from '../firestore.js';
import { createRuntimeAuth } from '../google-auth.js';
import { createLogger, type Logger } from '../log.js';
import { systemRuntime } from '../outbound/runtime.js';
import type { Publisher } from '../pubsub.js';
import { createPublisher } from '../pubsub-rest.js';
import {
  createFirestoreRejectedStore,
  createMemoryRejectedStore,
  type RejectedStore,
} from '../rejected.js';
import { verifierFromConfig } from '../verify/from-config.js';
import type { FetchLike } from '../verify/keys.js';
import { buildChatEventsHandler, type ChatEventsHandler } from './http-handler.js';
import { buildSpacelogApp, streamDigestSettings } from './spacelog/index.js';
import { enableUserFeatures } from '../user-auth/wiring.js';

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
  let firestore = overrides.firestore;
  const db = () => (firestore ??= createFirestore(config));
  const events =
    overrides.events ??
    (local
      ? createMemoryEventStore({ clock, storeMessageText: config.storeMessageText })
      : createFirestoreEventStore({ db: db(), clock, storeMessageText: config.storeMessageText }));
  const limits = {
    maxBytes: config.rejectedMaxBytes,
    retentionDays: config.rejectedRetentionDays,
    maxWritesPerMinute: config.rejectedMaxWritesPerMinute,
    clock,
    logger,
  };
  const rejected =
    overrides.rejected ??
    (local ? createMemoryRejectedStore(limits) : createFirestoreRejectedStore(db(), limits));
  const publisher =
    overrides.publisher ??
    createPublisher(config, createRuntimeAuth(config), systemRuntime(logger));

  const app = buildSpacelogApp({
    events,
    publisher,
    clock,
    logger,
    digestSettings: streamDigestSettings(events),
    config,
  });
  // User sign-in features (/signout, /myspaces, /incident as the user) need OAUTH_CLIENT_ID.
  if (config.oauthClientId !== undefined) {
    enableUserFeatures(app, config, { db: db(), events, clock, logger });
  }
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
