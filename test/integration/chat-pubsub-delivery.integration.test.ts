/**
 * `chatPubsub` as deployed: the entry module registers the function with the
 * functions framework, which serves it over HTTP; Pub/Sub messages arrive as
 * CloudEvents the way Eventarc delivers them. Behind it: the Firestore
 * emulator and the OAuth, Secret Manager and Chat API stand-ins.
 */
import type { Server } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { createFirestoreEventStore } from '../../shared/eventlog/firestore-store.js';
import { spaceStream, type EventStore } from '../../shared/eventlog/index.js';
import { createFirestore } from '../../shared/firestore.js';
import {
  deliver,
  listenOnLoopback,
  startChatPubsubWorld,
  type Delivery,
} from './chat-pubsub-harness.js';
import { ALICE, type OutboundWorld } from './outbound-harness.js';

const PROJECT = 'chat-pubsub-delivery';
const INTERACTIONS = 'spacelog-interactions';

let world: OutboundWorld;
let server: Server;
let url: string;
let db: Firestore;
let events: EventStore;
let seq = 0;

beforeAll(async () => {
  const started = await startChatPubsubWorld(PROJECT);
  world = started.world;
  Object.assign(process.env, started.env);
  await import('../../functions/chat-pubsub.js');
  server = getTestServer('chatPubsub');
  url = await listenOnLoopback(server);
  db = createFirestore(loadConfig(started.env));
  events = createFirestoreEventStore({ db });
});

afterEach(() => world.chat.clearFaults());

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.terminate();
  await world.close();
});

/** A new space with Alice in it, and Alice's @mention of the app there, as a Pub/Sub message. */
function mentionInNewSpace(): { space: string; delivery: Delivery } {
  const space = world.space();
  const human = world.chat.postHumanMessage(space, `users/${ALICE.id}`, '@Spacelog status?');
  seq += 1;
  const event = {
    type: 'MESSAGE',
    eventTime: new Date(Date.UTC(2026, 2, 1, 10, 0, seq)).toISOString(),
    space: { name: space, spaceType: 'SPACE', displayName: 'Ops' },
    user: { name: `users/${ALICE.id}`, displayName: 'Alice', type: 'HUMAN' },
    message: {
      name: human.name,
      text: '@Spacelog status?',
      thread: { name: human.thread?.name },
      annotations: [
        { type: 'USER_MENTION', userMention: { user: { name: 'users/app', type: 'BOT' } } },
      ],
    },
  };
  return { space, delivery: { topic: INTERACTIONS, data: event, messageId: `m-${seq}` } };
}

const fromApp = (space: string) =>
  world.chat.messages(space).filter((m) => m.sender?.name === world.chat.appUser);

async function rejectedReasons(): Promise<string[]> {
  const docs = await db.collection('rejected').get();
  return docs.docs.map((d) => d.get('reason') as string);
}

describe('chatPubsub, delivered Pub/Sub CloudEvents by the functions framework', () => {
  it('answers an interaction through the Chat API, in its thread, in binary and structured mode', async () => {
    for (const mode of ['binary', 'structured'] as const) {
      const { space, delivery } = mentionInNewSpace();
      expect(await deliver(url, PROJECT, delivery, mode)).toBe(204);

      const [reply] = fromApp(space);
      expect(fromApp(space)).toHaveLength(1);
      expect(reply?.text).toMatch(/^I have recorded 1 event in this space/);
      expect(reply?.thread?.name).toBe(world.chat.messages(space)[0]?.thread?.name);
      const stream = await events.readStream(spaceStream(space));
      expect(stream[0]).toMatchObject({ type: 'InteractionReceived', payload: { via: 'pubsub' } });
    }
  });

  it('gives one message at Chat when the same Pub/Sub message is delivered three times at once', async () => {
    const { space, delivery } = mentionInNewSpace();
    const statuses = await Promise.all([1, 2, 3].map(() => deliver(url, PROJECT, delivery)));

    expect(statuses).toEqual([204, 204, 204]);
    expect(fromApp(space)).toHaveLength(1);
    const types = (await events.readStream(spaceStream(space))).map((e) => e.type);
    expect(types.filter((t) => t === 'InteractionReceived')).toHaveLength(1);
    expect(types.filter((t) => t === 'MessagePosted')).toHaveLength(1);
  });

  it('ends a run of 429 and 5xx answers, over two deliveries, with one message, not two and not none', async () => {
    const { space, delivery } = mentionInNewSpace();
    // Three attempts per delivery: throttled, unavailable, then written but answered 500.
    world.chat.inject({ method: 'messages.create', status: 429, count: 1, retryAfterSeconds: 1 });
    world.chat.inject({ method: 'messages.create', status: 503, count: 1 });
    world.chat.inject({ method: 'messages.create', status: 500, count: 1, afterApply: true });

    expect(await deliver(url, PROJECT, delivery)).toBe(500);
    expect(fromApp(space)).toHaveLength(1);
    expect(await deliver(url, PROJECT, delivery)).toBe(204);

    expect(fromApp(space)).toHaveLength(1);
    const statuses = world.chat
      .calls()
      .filter((c) => c.method === 'messages.create' && c.space === space)
      .map((c) => c.status);
    expect(statuses).toEqual([429, 503, 500, 200]);
  });

  it('fails on a transient failure, so Pub/Sub delivers again, and the redelivery answers', async () => {
    const { space, delivery } = mentionInNewSpace();
    world.chat.inject({ method: 'messages.create', status: 503, count: 3 });

    expect(await deliver(url, PROJECT, delivery)).toBe(500);
    expect(fromApp(space)).toHaveLength(0);
    expect(await deliver(url, PROJECT, delivery)).toBe(204);
    expect(fromApp(space)).toHaveLength(1);
  });

  it('keeps a malformed message with its reason and acknowledges it', async () => {
    const notJson = { topic: INTERACTIONS, data: 'this is not JSON', messageId: 'bad-1' };
    const noUser = mentionInNewSpace().delivery;
    const withoutUser = { ...noUser, data: { ...(noUser.data as object), user: undefined } };
    const badAlert = { topic: 'spacelog-alerts', data: { hello: 'world' }, messageId: 'bad-2' };
    const unknownCommand = {
      topic: 'spacelog-alerts',
      data: {},
      attributes: { 'spacelog-command': 'launch-rockets' },
      messageId: 'bad-3',
    };

    for (const message of [notJson, withoutUser, badAlert, unknownCommand]) {
      expect(await deliver(url, PROJECT, message)).toBe(204);
    }
    expect(await rejectedReasons()).toEqual(
      expect.arrayContaining([
        'interaction:not-json',
        'interaction:missing-user',
        'alert:unknown-alert-shape',
        'unknown-command:unknown-command',
      ]),
    );
  });
});
