/**
 * The digest's real parts for integration tests: the OAuth, Chat API and
 * Workspace Events stand-ins, the event log and projections in the
 * Firestore emulator, the REST publisher against the Pub/Sub emulator, and
 * the outbound Chat client and webhook sender with the app's key. Pub/Sub
 * topics and pull subscriptions are made over the emulator's REST API.
 */
import { manualClock } from '../../shared/clock.js';
import type { Config } from '../../shared/config.js';
import { digestServicesFromConfig, type DigestServices } from '../../shared/digest/from-config.js';
import { createFirestoreEventStore } from '../../shared/eventlog/firestore-store.js';
import { createFirestore } from '../../shared/firestore.js';
import { createRuntimeAuth } from '../../shared/google-auth.js';
import { silentLogger } from '../../shared/log.js';
import { createOutbound } from '../../shared/outbound/index.js';
import { systemRuntime } from '../../shared/outbound/runtime.js';
import { createFirestoreProjectionStore, createProjector } from '../../shared/projections/index.js';
import { createRestPublisher } from '../../shared/pubsub-rest.js';
import { cachedSecrets } from '../../shared/secrets.js';
import { startChatApi, type ChatLimits } from '../../local/standins/chat-api.js';
import { createServiceAccountKey, createSigningKey } from '../../local/standins/keys.js';
import { startOAuth } from '../../local/standins/oauth.js';
import { startWorkspaceEvents } from '../../local/standins/workspace-events.js';
import { loadConfig } from '../../shared/config.js';

/** A pulled Pub/Sub message, data decoded as JSON. */
export interface Pulled {
  readonly ackId: string;
  readonly data: unknown;
  readonly attributes: Record<string, string>;
}

/** The Pub/Sub emulator over REST. */
export function emulatorPubsub(projectId: string) {
  const host = process.env['PUBSUB_EMULATOR_HOST'];
  if (!host) throw new Error('PUBSUB_EMULATOR_HOST is not set: run with the integration project.');
  const base = `http://${host}/v1/projects/${projectId}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!res.ok && res.status !== 409) throw new Error(`Pub/Sub emulator ${path}: ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  return {
    url: `http://${host}`,
    async topic(name: string, subscription: string) {
      await call('PUT', `topics/${name}`, {});
      await call('PUT', `subscriptions/${subscription}`, {
        topic: `projects/${projectId}/topics/${name}`,
        ackDeadlineSeconds: 600,
      });
    },
    async publishRaw(topic: string, data: Buffer, attributes: Record<string, string>) {
      await call('POST', `topics/${topic}:publish`, {
        messages: [{ data: data.toString('base64'), attributes }],
      });
    },
    /** Pulls until `atLeast` messages arrived or `ms` passed; acks them. */
    async pull(subscription: string, atLeast = 1, ms = 5_000): Promise<Pulled[]> {
      const out: Pulled[] = [];
      const deadline = Date.now() + ms;
      while (out.length < atLeast && Date.now() < deadline) {
        const got = (await call('POST', `subscriptions/${subscription}:pull`, {
          maxMessages: 1000,
          returnImmediately: true,
        })) as {
          receivedMessages?: {
            ackId: string;
            message: { data?: string; attributes?: Record<string, string> };
          }[];
        };
        const batch = got.receivedMessages ?? [];
        for (const r of batch) {
          const text = Buffer.from(r.message.data ?? '', 'base64').toString('utf8');
          out.push({
            ackId: r.ackId,
            data: text === '' ? undefined : JSON.parse(text),
            attributes: r.message.attributes ?? {},
          });
        }
        if (batch.length > 0) {
          await call('POST', `subscriptions/${subscription}:acknowledge`, {
            ackIds: batch.map((r) => r.ackId),
          });
        } else {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      return out;
    },
  };
}

/** Starts the stand-ins and builds the digest services over the emulators. */
export async function startDigestStack(options: {
  readonly projectId: string;
  readonly start: string;
  readonly limits?: Partial<ChatLimits>;
  readonly env?: Record<string, string>;
}) {
  const clock = manualClock(options.start);
  const oauth = await startOAuth({ googleKey: createSigningKey() });
  const key = createServiceAccountKey(
    `app@${options.projectId}.iam.gserviceaccount.com`,
    options.projectId,
  );
  oauth.registerServiceAccount(key);
  const chat = await startChatApi({
    oauthUrl: oauth.url,
    clock,
    ...(options.limits && { limits: options.limits }),
  });
  const pubsub = emulatorPubsub(options.projectId);
  const workspaceEvents = await startWorkspaceEvents({
    chat,
    oauthUrl: oauth.url,
    clock,
    publish: async (topic, message) => {
      await pubsub.publishRaw(topic.split('/').at(-1) ?? topic, message.data, message.attributes);
    },
  });

  const config: Config = loadConfig({
    GOOGLE_CLOUD_PROJECT: options.projectId,
    CHAT_API_URL: chat.url,
    WORKSPACE_EVENTS_URL: workspaceEvents.url,
    OAUTH_TOKEN_URL: oauth.tokenUrl,
    PUBSUB_URL: pubsub.url,
    RUNTIME_CREDENTIALS: 'none-local-only',
    CHAT_APP_SCOPES_APPROVED: 'true',
    FIRESTORE_EMULATOR_HOST: process.env['FIRESTORE_EMULATOR_HOST'],
    ...options.env,
  });
  const secretValues = new Map<string, string>([
    [config.serviceAccountKeySecret, JSON.stringify(key.json)],
  ]);
  const secrets = cachedSecrets(config.projectId, (resource) => {
    const name = /secrets\/([^/]+)\/versions/.exec(resource)?.[1] ?? '';
    const value = secretValues.get(name);
    return value === undefined
      ? Promise.reject(new Error(`no secret ${name}`))
      : Promise.resolve(value);
  });

  const db = createFirestore(config);
  const events = createFirestoreEventStore({ db, clock });
  const projections = createFirestoreProjectionStore({ db });
  const projector = createProjector({ events, store: projections });
  const runtime = { ...systemRuntime(silentLogger), clock };
  const outbound = createOutbound(config, { secrets, logger: silentLogger, runtime });
  const publisher = createRestPublisher({
    projectId: config.projectId,
    pubsubUrl: pubsub.url,
    auth: createRuntimeAuth(config),
    runtime,
  });
  const services: DigestServices = digestServicesFromConfig(config, 'test', {
    clock,
    logger: silentLogger,
    firestore: db,
    events,
    projections,
    publisher,
    outbound,
  });

  return {
    clock,
    config,
    oauth,
    chat,
    workspaceEvents,
    pubsub,
    db,
    events,
    projections,
    projector,
    services,
    outbound,
    publisher,
    secretValues,
    async close() {
      await workspaceEvents.close();
      await chat.close();
      await oauth.close();
      await db.terminate();
    },
  };
}
