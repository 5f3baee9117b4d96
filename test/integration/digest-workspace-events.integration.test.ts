import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScheduledDigest } from '../../shared/digest/scheduled.js';
import { spaceStream } from '../../shared/eventlog/index.js';
import { silentLogger } from '../../shared/log.js';
import { buildChatPubsubFromConfig } from '../../shared/pubsub-handler/chat-pubsub-from-config.js';
import type { PubsubEventHandler } from '../../shared/pubsub-handler/handler.js';
import { createMemoryRejectedStore } from '../../shared/rejected.js';
import {
  handleWorkspaceEvent,
  subscribeSpace,
  unsubscribeSpace,
  workspaceEventOf,
  type WorkspaceEventOutcome,
} from '../../shared/workspace-events/index.js';
import { startDigestStack } from '../support/digest-stack.js';

const PROJECT = 'digest-workspace-events-it';
const EVENTS_SUB = 'workspace-events-pull';
const ALERTS_SUB = 'alerts-pull';
const INTERACTIONS = 'spacelog-interactions';
const ALICE = 'users/4001';
const BOB = 'users/4002';

let stack: Awaited<ReturnType<typeof startDigestStack>>;

beforeAll(async () => {
  stack = await startDigestStack({ projectId: PROJECT, start: '2026-05-04T08:00:00Z' });
  await stack.pubsub.topic(stack.config.workspaceEventsTopic, EVENTS_SUB);
  await stack.pubsub.topic(stack.config.alertsTopic, ALERTS_SUB);
  stack.chat.addUser({ name: ALICE, displayName: 'Alice' });
  stack.chat.addUser({ name: BOB, displayName: 'Bob' });
});

afterAll(async () => {
  await stack.close();
});

/** Delivers what reached the Workspace Events topic to the handler, as chatPubsub does. */
async function deliver(atLeast: number): Promise<WorkspaceEventOutcome[]> {
  await stack.workspaceEvents.flush();
  const pulled = await stack.pubsub.pull(EVENTS_SUB, atLeast);
  const out: WorkspaceEventOutcome[] = [];
  for (const m of pulled) {
    const event = workspaceEventOf(m.attributes, m.data);
    if (event) out.push(await handleWorkspaceEvent(stack.services.workspace, event));
  }
  return out;
}

const typesIn = async (space: string) =>
  (await stack.events.readStream(spaceStream(space), { limit: 1000 })).map((e) => e.type);

describe('Workspace Events subscriptions against the stand-in and the Pub/Sub emulator', () => {
  it('subscribes a space as the app and records what people do there, once', async () => {
    const space = stack.chat.addSpace({ displayName: 'watched', members: [ALICE, BOB] }).name!;
    const made = await subscribeSpace(stack.services.workspace, space);
    expect(made.status).toBe('created');
    expect((await subscribeSpace(stack.services.workspace, space)).status).toBe('adopted');
    expect(
      stack.workspaceEvents.subscriptions().filter((s) => s.targetResource.endsWith(space)),
    ).toHaveLength(1);

    const posted = stack.chat.postHumanMessage(space, ALICE, 'hello team');
    const outcomes = await deliver(1);
    expect(outcomes.reduce((sum, o) => sum + o.recorded, 0)).toBe(1);
    const event = await stack.events.get(`chat:${posted.name}:created`);
    expect(event).toMatchObject({ type: 'SpaceMessageCreated', payload: { sender: ALICE } });
    expect(event?.payload).not.toHaveProperty('text');
    expect(await typesIn(space)).toEqual([
      'EventsSubscriptionCreated',
      'EventsSubscriptionRenewed',
      'SpaceMessageCreated',
    ]);
  });

  it('after expiry, subscribes again and catches up the messages it missed, each once', async () => {
    const space = stack.chat.addSpace({ displayName: 'lapsing', members: [ALICE, BOB] }).name!;
    await subscribeSpace(stack.services.workspace, space);
    stack.chat.postHumanMessage(space, ALICE, 'before');
    await deliver(1);

    const [sub] = stack.workspaceEvents
      .subscriptions()
      .filter((s) => s.targetResource.endsWith(space));
    stack.clock.advance(1_000);
    const missed = stack.chat.postHumanMessage(space, BOB, 'while nobody listened');
    stack.workspaceEvents.expireNow(sub!.name.replace('subscriptions/', ''));
    await stack.workspaceEvents.flush();
    // The message event and the expiry reach the topic in order: record the message, then lapse.
    const outcomes = await deliver(2);
    expect(outcomes.map((o) => o.lifecycle).filter(Boolean)).toEqual(['recreated']);

    const types = await typesIn(space);
    expect(types.filter((t) => t === 'SpaceMessageCreated')).toHaveLength(2);
    expect(types).toContain('EventsSubscriptionLapsed');
    expect(await stack.events.get(`chat:${missed.name}:created`)).toBeDefined();
    expect(
      stack.workspaceEvents.subscriptions().filter((s) => s.targetResource.endsWith(space)),
    ).toHaveLength(1);
  });

  it('renews on the expiration reminder and deletes the subscription when the app leaves', async () => {
    const space = stack.chat.addSpace({ displayName: 'renewing', members: [ALICE] }).name!;
    await subscribeSpace(stack.services.workspace, space);
    const [sub] = stack.workspaceEvents
      .subscriptions()
      .filter((s) => s.targetResource.endsWith(space));
    stack.clock.advance(3 * 3_600_000);
    stack.workspaceEvents.remindExpiration(sub!.name.replace('subscriptions/', ''));
    const outcomes = await deliver(1);
    expect(outcomes.map((o) => o.lifecycle)).toContain('renewed');
    const [renewed] = stack.workspaceEvents
      .subscriptions()
      .filter((s) => s.targetResource.endsWith(space));
    expect(Date.parse(renewed!.expireTime)).toBe(stack.clock.now().getTime() + 14_400_000);

    expect(await unsubscribeSpace(stack.services.workspace, space)).toBe(1);
    expect(
      stack.workspaceEvents.subscriptions().filter((s) => s.targetResource.endsWith(space)),
    ).toHaveLength(0);
    expect((await typesIn(space)).at(-1)).toBe('EventsSubscriptionLapsed');
  });
});

describe('Workspace Events wired to the app joining and leaving, through chatPubsub', () => {
  let chatPubsub: PubsubEventHandler;
  let seq = 0;

  beforeAll(() => {
    chatPubsub = buildChatPubsubFromConfig(stack.config, {
      clock: stack.clock,
      logger: silentLogger,
      firestore: stack.db,
      events: stack.events,
      rejected: createMemoryRejectedStore({
        maxBytes: 1024,
        retentionDays: 1,
        maxWritesPerMinute: 10,
        clock: stack.clock,
        logger: silentLogger,
      }),
      publisher: stack.publisher,
      outbound: stack.outbound,
    });
  });

  /** Delivers one Pub/Sub message to chatPubsub as Eventarc does. */
  const push = (topic: string, data: unknown, attributes: Record<string, string> = {}) =>
    chatPubsub({
      id: `m${++seq}`,
      source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/${topic}`,
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      data: {
        message: {
          messageId: `m${seq}`,
          data: Buffer.from(JSON.stringify(data)).toString('base64'),
          attributes,
        },
      },
    });

  /** A classic interaction event in `space`, as Chat publishes it to the interactions topic. */
  const interaction = (type: string, space: string, second: number) => ({
    type,
    eventTime: new Date(Date.UTC(2026, 4, 4, 9, 0, second)).toISOString(),
    space: { name: space, spaceType: 'SPACE', displayName: 'joined' },
    user: { name: ALICE, displayName: 'Alice', type: 'HUMAN' },
  });

  /** Runs the commands the app published on the alerts topic. */
  async function runCommands(expected: number) {
    const pulled = await stack.pubsub.pull(ALERTS_SUB, expected);
    expect(pulled).toHaveLength(expected);
    for (const m of pulled) await push(stack.config.alertsTopic, m.data, m.attributes);
  }

  const subscriptionsOf = (space: string) =>
    stack.workspaceEvents.subscriptions().filter((s) => s.targetResource.endsWith(space));

  it('subscribes once when the app is added (redelivered too), and unsubscribes when removed', async () => {
    const space = stack.chat.addSpace({ displayName: 'joined', members: [ALICE, BOB] }).name!;
    const added = interaction('ADDED_TO_SPACE', space, 1);
    await push(INTERACTIONS, added);
    await push(INTERACTIONS, added);
    await runCommands(2);
    expect(subscriptionsOf(space)).toHaveLength(1);
    const subscribed = (await typesIn(space)).filter((t) => t.startsWith('EventsSubscription'));
    expect(subscribed).toEqual(['EventsSubscriptionCreated']);

    // What people say there now reaches the log through the subscription.
    const said = stack.chat.postHumanMessage(space, BOB, 'morning');
    await deliver(1);
    expect(await stack.events.get(`chat:${said.name}:created`)).toBeDefined();

    await push(INTERACTIONS, interaction('REMOVED_FROM_SPACE', space, 2));
    await runCommands(1);
    expect(subscriptionsOf(space)).toHaveLength(0);
    expect((await typesIn(space)).at(-1)).toBe('EventsSubscriptionLapsed');
  });

  it("renews a subscription from the scheduler's tick before it expires", async () => {
    const space = stack.chat.addSpace({ displayName: 'ticking', members: [ALICE] }).name!;
    await subscribeSpace(stack.services.workspace, space);
    stack.clock.advance(3 * 3_600_000);
    await buildScheduledDigest(stack.services)();
    const [renewed] = subscriptionsOf(space);
    expect(Date.parse(renewed!.expireTime)).toBe(stack.clock.now().getTime() + 14_400_000);
    expect(await typesIn(space)).toContain('EventsSubscriptionRenewed');
  });
});
