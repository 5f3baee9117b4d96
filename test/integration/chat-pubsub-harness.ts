/**
 * The local world of the `chatPubsub` integration tests: the outbound world
 * (OAuth, Secret Manager and Chat API stand-ins), the Firestore and Pub/Sub
 * emulators, the settings a deployed `chatPubsub` would have pointed at
 * them, and a way to deliver a Pub/Sub message to a functions-framework
 * server as Eventarc does: a CloudEvent over HTTP, binary or structured.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emulatorHosts } from '../support/emulator-hosts.js';
import { startOutboundWorld, type OutboundWorld } from './outbound-harness.js';

/** Settings of `chatPubsub` in the tests, on top of the outbound world's. */
export function chatPubsubEnv(projectId: string, world: OutboundWorld): Record<string, string> {
  const { firestore, pubsub } = emulatorHosts();
  return {
    GOOGLE_CLOUD_PROJECT: projectId,
    RUNTIME_CREDENTIALS: 'none-local-only',
    EVENT_STORE: 'firestore',
    FIRESTORE_EMULATOR_HOST: firestore,
    PUBSUB_URL: `http://${pubsub}`,
    CHAT_API_URL: world.chat.url,
    OAUTH_TOKEN_URL: world.oauth.tokenUrl,
    SECRET_MANAGER_URL: world.secretManager.url,
    CHAT_APP_SCOPES_APPROVED: 'true',
    CHAT_API_MAX_ATTEMPTS: '3',
    CHAT_API_TIMEOUT_MS: '2000',
    CHAT_API_DEADLINE_MS: '20000',
    LOG_LEVEL: 'ERROR',
  };
}

/** Starts the outbound world with `chatPubsub`'s settings. */
export async function startChatPubsubWorld(projectId: string, env: Record<string, string> = {}) {
  const world = await startOutboundWorld(projectId);
  const settings = { ...chatPubsubEnv(projectId, world), ...env };
  return { world, env: settings };
}

/** A Pub/Sub message to deliver. */
export interface Delivery {
  readonly topic: string;
  readonly data: Buffer | string | object;
  readonly attributes?: Record<string, string>;
  readonly messageId: string;
  readonly publishTime?: string;
}

/** Listens on a free loopback port; resolves to the base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** POSTs one Pub/Sub CloudEvent to `url`; resolves to the HTTP status. */
export async function deliver(
  url: string,
  projectId: string,
  message: Delivery,
  mode: 'binary' | 'structured' = 'binary',
): Promise<number> {
  const raw =
    Buffer.isBuffer(message.data) || typeof message.data === 'string'
      ? Buffer.from(message.data)
      : Buffer.from(JSON.stringify(message.data));
  const data = {
    message: {
      data: raw.toString('base64'),
      attributes: message.attributes ?? {},
      messageId: message.messageId,
      publishTime: message.publishTime ?? '2026-03-01T10:00:00.000Z',
    },
    subscription: `projects/${projectId}/subscriptions/${message.topic}-chatpubsub`,
  };
  const context = {
    specversion: '1.0',
    id: message.messageId,
    source: `//pubsub.googleapis.com/projects/${projectId}/topics/${message.topic}`,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    time: data.message.publishTime,
  };
  const request =
    mode === 'binary'
      ? {
          headers: {
            'content-type': 'application/json',
            ...Object.fromEntries(Object.entries(context).map(([k, v]) => [`ce-${k}`, v])),
          },
          body: JSON.stringify(data),
        }
      : {
          headers: { 'content-type': 'application/cloudevents+json' },
          body: JSON.stringify({ ...context, datacontenttype: 'application/json', data }),
        };
  const res = await fetch(url, { method: 'POST', ...request, signal: AbortSignal.timeout(50_000) });
  await res.arrayBuffer();
  return res.status;
}
