import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spaceStream } from '../../shared/eventlog/index.js';
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
const ALICE = 'users/4001';
const BOB = 'users/4002';

let stack: Awaited<ReturnType<typeof startDigestStack>>;

beforeAll(async () => {
  stack = await startDigestStack({ projectId: PROJECT, start: '2026-05-04T08:00:00Z' });
  await stack.pubsub.topic(stack.config.workspaceEventsTopic, EVENTS_SUB);
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
