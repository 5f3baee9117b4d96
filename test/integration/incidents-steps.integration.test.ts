/**
 * Incidents end to end through `chatPubsub`'s handler: alerts and
 * `/incident` against the Chat API stand-in, the event log in the Firestore
 * emulator and Spacelog's own commands through the Pub/Sub emulator. Each
 * step is cut in turn (Chat failures, written or not, and failed appends),
 * then the message is delivered again.
 */
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { incidentKeyOf } from '../../shared/app/spacelog/incident.js';
import { loadConfig, type Config } from '../../shared/config.js';
import { SpacelogError } from '../../shared/errors.js';
import { createFirestoreEventStore } from '../../shared/eventlog/firestore-store.js';
import { incidentStream, type EventStore } from '../../shared/eventlog/index.js';
import { createFirestore } from '../../shared/firestore.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import { silentLogger } from '../../shared/log.js';
import {
  buildChatPubsubFromConfig,
  type PubsubEventHandler,
} from '../../shared/pubsub-handler/index.js';
import { startChatPubsubWorld } from './chat-pubsub-harness.js';
import { ALICE, BOB, type OutboundWorld } from './outbound-harness.js';

const PROJECT = 'incidents-steps';
const ALERTS = 'spacelog-alerts';

let world: OutboundWorld;
let env: Record<string, string>;
let db: Firestore;
let events: EventStore;
let keys = 0;

beforeAll(async () => {
  ({ world, env } = await startChatPubsubWorld(PROJECT, {
    INCIDENT_RESPONDERS: `users/${ALICE.id}`,
  }));
  db = createFirestore(loadConfig(env));
  events = createFirestoreEventStore({ db });
});

afterEach(() => world.chat.clearFaults());

afterAll(async () => {
  await db.terminate();
  await world.close();
});

/** The event log, with the next append of one event type made to fail before it is written. */
function storeFailing(type: string | undefined): EventStore {
  let armed = type !== undefined;
  return {
    ...events,
    append: (event, options) => {
      if (armed && event.type === type) {
        armed = false;
        return Promise.reject(new SpacelogError('unavailable', 'Injected append failure.'));
      }
      return events.append(event, options);
    },
  };
}

function handlerWith(
  store: EventStore = events,
  extra: Record<string, string> = {},
): PubsubEventHandler {
  const config: Config = loadConfig({ ...env, ...extra });
  return buildChatPubsubFromConfig(config, { events: store, logger: silentLogger });
}

/** A firing Spacelog alert on the alerts topic, as a CloudEvent. */
function alertEvent(key: string, status: 'firing' | 'resolved' = 'firing') {
  const alert = {
    key,
    status,
    title: `Checkout answers 5xx (${key})`,
    severity: 'critical',
    summary: 'Error rate 12% for 5 minutes.',
    link: 'https://grafana.example.com/d/checkout',
    responders: [BOB.email],
  };
  return {
    id: `${key}-${status}`,
    source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/${ALERTS}`,
    data: {
      message: {
        data: Buffer.from(JSON.stringify(alert)).toString('base64'),
        messageId: `${key}-${status}`,
        publishTime: '2026-03-01T10:00:00.000Z',
      },
    },
  };
}

const nextKey = () => `alert-${++keys}-${Date.now().toString(36)}`;

/** The stand-in's spaces made for `key`, and what is in them. */
function spacesOf(key: string) {
  return world.chat.spaces().filter((s) => s.displayName?.includes(`(${key})`));
}

async function expectCompleteOnce(key: string) {
  const spaces = spacesOf(key);
  expect(spaces).toHaveLength(1);
  const space = spaces[0]?.name ?? '';
  const members = world.chat.members(space).map((m) => m.member?.name);
  expect(members.filter((m) => m === `users/${ALICE.id}`)).toHaveLength(1);
  expect(members.filter((m) => m === `users/${BOB.id}`)).toHaveLength(1);
  const details = world.chat.messages(space).filter((m) => (m.cardsV2?.length ?? 0) > 0);
  expect(details).toHaveLength(1);

  const types = (await events.readStream(incidentStream(key))).map((e) => e.type);
  expect(types).toEqual([
    'IncidentOpened',
    'IncidentSpaceCreated',
    'IncidentResponderAdded',
    'IncidentResponderAdded',
    'IncidentDetailsPosted',
  ]);
  return space;
}

describe('an incident opened by an alert, as the app', () => {
  it('makes one space with customers/my_customer, adds the responders and posts the details card', async () => {
    const key = nextKey();
    await handlerWith()(alertEvent(key));
    const space = await expectCompleteOnce(key);
    const create = world.chat.calls().find((c) => c.method === 'spaces.create' && c.status === 200);
    expect(create).toMatchObject({ principal: 'app', scopes: ['chat.app.spaces.create'] });
    expect(world.chat.space(space)?.customer).toBe('customers/my_customer');
  });

  it.each([
    ['spaces.create', 500, true],
    ['spaces.create', 503, false],
    ['members.create', 500, true],
    ['members.create', 429, false],
    ['messages.create', 500, true],
    ['messages.create', 502, false],
  ])(
    'cut at %s (%i, written: %s), then redelivered, ends with one of everything',
    async (method, status, afterApply) => {
      const key = nextKey();
      world.chat.inject({ method, status, count: 3, afterApply });
      const first = handlerWith()(alertEvent(key));
      if (!(method === 'members.create' && afterApply)) {
        await expect(first).rejects.toBeInstanceOf(SpacelogError);
      } else {
        // The member's second attempt finds it added (ALREADY_EXISTS): the step completes.
        await first;
      }
      world.chat.clearFaults();
      await handlerWith()(alertEvent(key));
      await expectCompleteOnce(key);
    },
  );

  it.each([
    'IncidentOpened',
    'IncidentSpaceCreated',
    'IncidentResponderAdded',
    'IncidentDetailsPosted',
  ])(
    'cut by a failed append of %s after its Chat write, then redelivered, ends with one of everything',
    async (type) => {
      const key = nextKey();
      await expect(handlerWith(storeFailing(type))(alertEvent(key))).rejects.toMatchObject({
        code: 'unavailable',
      });
      await handlerWith()(alertEvent(key));
      await expectCompleteOnce(key);
    },
  );

  it('delivered three times at once, to three instances, ends with one of everything', async () => {
    const key = nextKey();
    await Promise.all([handlerWith(), handlerWith(), handlerWith()].map((h) => h(alertEvent(key))));
    await expectCompleteOnce(key);
  });

  it('posts the resolution once when the resolved alert comes, twice', async () => {
    const key = nextKey();
    await handlerWith()(alertEvent(key));
    await handlerWith()(alertEvent(key, 'resolved'));
    await handlerWith()(alertEvent(key, 'resolved'));
    const space = spacesOf(key)[0]?.name ?? '';
    const resolved = world.chat.messages(space).filter((m) => m.text?.includes('is resolved'));
    expect(resolved).toHaveLength(1);
    const types = (await events.readStream(incidentStream(key))).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['IncidentResolved', 'IncidentResolutionPosted']);
  });
});

describe('an incident space made as a delegated user', () => {
  it('is set up as that user, who adds the app (chat.memberships.app) and the responders', async () => {
    const key = nextKey();
    const delegated = { INCIDENT_SPACE_MODE: 'delegated', INCIDENT_DELEGATED_USER: ALICE.email };
    world.chat.inject({ method: 'messages.create', status: 500, count: 3, afterApply: true });
    await expect(handlerWith(events, delegated)(alertEvent(key))).rejects.toBeDefined();
    world.chat.clearFaults();
    await handlerWith(events, delegated)(alertEvent(key));

    const space = await expectCompleteOnce(key);
    const setup = world.chat.calls().filter((c) => c.method === 'spaces.setup');
    expect(setup[0]).toMatchObject({ principal: 'user', user: `users/${ALICE.id}` });
    expect(setup[0]?.scopes).not.toContain('chat.bot');
    const addApp = world.chat
      .calls()
      .find(
        (c) =>
          c.method === 'members.create' &&
          c.space === space &&
          c.scopes.includes('chat.memberships.app'),
      );
    expect(addApp).toMatchObject({ principal: 'user', status: 200 });
    expect(world.chat.members(space).some((m) => m.member?.name === world.chat.appUser)).toBe(true);
  });
});

describe('/incident through the Pub/Sub emulator', () => {
  const emulator = () => `http://${process.env['PUBSUB_EMULATOR_HOST'] ?? ''}`;
  const topicPath = `projects/${PROJECT}/topics/${ALERTS}`;
  const subscriptionPath = `projects/${PROJECT}/subscriptions/${ALERTS}-test-pull`;

  beforeAll(async () => {
    await fetch(`${emulator()}/v1/${topicPath}`, { method: 'PUT' });
    await fetch(`${emulator()}/v1/${subscriptionPath}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: topicPath, ackDeadlineSeconds: 30 }),
    });
  });

  /** Pulls what the app published to the alerts topic and delivers it as Eventarc would. */
  async function pullAndDeliver(handler: PubsubEventHandler): Promise<number> {
    const res = await fetch(`${emulator()}/v1/${subscriptionPath}:pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ maxMessages: 10 }),
    });
    const body = (await res.json()) as {
      receivedMessages?: { ackId: string; message: Record<string, unknown> }[];
    };
    const received = body.receivedMessages ?? [];
    for (const { message } of received) {
      await handler({
        id: String(message['messageId']),
        source: `//pubsub.googleapis.com/${topicPath}`,
        data: { message, subscription: subscriptionPath },
      });
    }
    if (received.length > 0) {
      await fetch(`${emulator()}/v1/${subscriptionPath}:acknowledge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ackIds: received.map((r) => r.ackId) }),
      });
    }
    return received.length;
  }

  it('opens the space, adds who asked, and reports back to the space it was asked in', async () => {
    const handler = handlerWith();
    const origin = world.space();
    const human = world.chat.postHumanMessage(
      origin,
      `users/${ALICE.id}`,
      '/incident Search is slow',
    );
    const slash = {
      type: 'MESSAGE',
      eventTime: '2026-03-01T11:00:00.000Z',
      space: { name: origin, spaceType: 'SPACE' },
      user: { name: `users/${ALICE.id}`, displayName: 'Alice', type: 'HUMAN' },
      message: {
        name: human.name,
        text: '/incident Search is slow',
        argumentText: ' Search is slow',
        thread: { name: human.thread?.name },
        slashCommand: { commandId: '3' },
      },
    };
    await handler({
      id: 'slash-1',
      source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/spacelog-interactions`,
      data: {
        message: {
          data: Buffer.from(JSON.stringify(slash)).toString('base64'),
          messageId: 'slash-1',
        },
      },
    });
    expect(await pullAndDeliver(handler)).toBe(1);

    const texts = world.chat.messages(origin).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.startsWith('Opening incident'))).toHaveLength(1);
    expect(
      texts.filter((t) => t.startsWith('Incident space created: Incident: Search is slow')),
    ).toHaveLength(1);
    const space = world.chat
      .spaces()
      .find((s) => s.displayName?.startsWith('Incident: Search is slow'));
    const members = world.chat.members(space?.name ?? '').map((m) => m.member?.name);
    expect(members.filter((m) => m === `users/${ALICE.id}`)).toHaveLength(1);
    const key = incidentKeyOf(parseInteraction(slash).id);
    const [opened] = await events.readStream(incidentStream(key));
    expect(opened).toMatchObject({
      type: 'IncidentOpened',
      payload: { source: 'command', requestedBy: `users/${ALICE.id}`, originSpace: origin },
    });
  });
});
