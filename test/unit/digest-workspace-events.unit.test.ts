import { describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { SpacelogError } from '../../shared/errors.js';
import { createMemoryEventStore, spaceStream } from '../../shared/eventlog/index.js';
import { silentLogger } from '../../shared/log.js';
import type { ChatMessage } from '../../shared/outbound/index.js';
import { parseWatchSpace, watchSpaceMessage } from '../../shared/commands.js';
import {
  handleWatchSpace,
  handleWorkspaceEvent,
  logEventsOf,
  messageCreated,
  renewExpiring,
  subscribeSpace,
  workspaceEventOf,
  type Subscription,
  type WorkspaceEventDeps,
  type WorkspaceEventsClient,
} from '../../shared/workspace-events/index.js';

const SPACE = 'spaces/AAA';
const message = (id: string, createTime: string, sender = 'users/2'): ChatMessage => ({
  name: `${SPACE}/messages/${id}`,
  sender: { name: sender, type: 'HUMAN' },
  createTime,
  text: 'hello',
  thread: { name: `${SPACE}/threads/T` },
});

/** A fake Workspace Events API that keeps subscriptions in a map and counts calls. */
function fakeClient(now: () => Date) {
  const subs = new Map<string, Subscription>();
  const calls: string[] = [];
  let n = 0;
  const expiring = (s: Subscription, ttl: number): Subscription => ({
    ...s,
    state: 'ACTIVE',
    expireTime: new Date(now().getTime() + ttl * 1000).toISOString(),
  });
  const client: WorkspaceEventsClient = {
    create: async (input) => {
      calls.push('create');
      await Promise.resolve();
      if ([...subs.values()].some((s) => s.targetResource === input.targetResource)) {
        throw new SpacelogError('conflict', 'ALREADY_EXISTS');
      }
      const sub = expiring(
        { name: `subscriptions/s${++n}`, targetResource: input.targetResource },
        input.ttlSeconds,
      );
      subs.set(sub.name, sub);
      return sub;
    },
    get: (name) => Promise.resolve(subs.get(name)!),
    list: async ({ targetResource }) => {
      calls.push('list');
      await Promise.resolve();
      return [...subs.values()].filter(
        (s) => targetResource === undefined || s.targetResource === targetResource,
      );
    },
    renew: async (name, ttl) => {
      calls.push(`renew ${name}`);
      await Promise.resolve();
      const sub = expiring(subs.get(name)!, ttl);
      subs.set(name, sub);
      return sub;
    },
    reactivate: async (name) => {
      calls.push(`reactivate ${name}`);
      await Promise.resolve();
      const sub = { ...subs.get(name)!, state: 'ACTIVE' as const };
      subs.set(name, sub);
      return sub;
    },
    remove: (name) => Promise.resolve(subs.delete(name)),
  };
  return { client, subs, calls };
}

function setUp(listed: ChatMessage[] = []) {
  const clock = manualClock('2026-05-04T10:00:00Z');
  const events = createMemoryEventStore({ clock });
  const api = fakeClient(() => clock.now());
  const filters: (string | undefined)[] = [];
  const deps: WorkspaceEventDeps = {
    client: api.client,
    chat: {
      listMessages: async (input) => {
        await Promise.resolve();
        filters.push(input.filter);
        return { messages: listed };
      },
    },
    events,
    clock,
    logger: silentLogger,
    catchUpPages: 5,
    subscriptions: {
      enabled: true,
      pubsubTopic: 'projects/p/topics/we',
      ttlSeconds: 14_400,
      renewWithinMinutes: 90,
    },
  };
  const types = async () => (await events.readStream(spaceStream(SPACE))).map((e) => e.type);
  return { clock, events, api, deps, filters, types };
}

describe('Workspace Events: CloudEvents to log events', () => {
  it('gives a message the same event id through an event, a batch event and catch-up', () => {
    const m = message('M1', '2026-05-04T09:00:00.123456Z');
    const single = logEventsOf({
      type: 'google.workspace.chat.message.v1.created',
      data: { message: m },
    });
    const batch = logEventsOf({
      type: 'google.workspace.chat.message.v1.batchCreated',
      data: { messages: [{ message: m }] },
    });
    expect(single).toHaveLength(1);
    expect(single[0]).toMatchObject({
      id: `chat:${SPACE}/messages/M1:created`,
      type: 'SpaceMessageCreated',
      stream: 'space:AAA',
      occurredAt: '2026-05-04T09:00:00.123456Z',
      payload: { sender: 'users/2', threadName: `${SPACE}/threads/T`, textLength: 5 },
    });
    expect(batch[0]?.id).toBe(single[0]?.id);
    expect(messageCreated(m, '2026-05-04T10:00:00Z')?.id).toBe(single[0]?.id);
  });

  it('records reactions and memberships, and ignores types it does not keep', () => {
    const reaction = logEventsOf({
      type: 'google.workspace.chat.reaction.v1.created',
      time: '2026-05-04T09:00:00Z',
      data: {
        reaction: {
          name: `${SPACE}/messages/M1/reactions/R1`,
          user: { name: 'users/3' },
          emoji: { unicode: '👍' },
        },
      },
    });
    expect(reaction[0]).toMatchObject({
      type: 'ReactionAdded',
      payload: { messageName: `${SPACE}/messages/M1`, user: 'users/3', emoji: '👍' },
    });
    const joined = logEventsOf({
      type: 'google.workspace.chat.membership.v1.created',
      data: {
        membership: {
          name: `${SPACE}/members/9`,
          member: { name: 'users/9', displayName: 'Nine', type: 'HUMAN' },
          createTime: '2026-05-04T08:00:00Z',
        },
      },
    });
    expect(joined[0]).toMatchObject({
      type: 'MemberJoined',
      payload: { member: 'users/9', displayName: 'Nine' },
    });
    expect(
      logEventsOf({ type: 'google.workspace.chat.space.v1.updated', data: { space: {} } }),
    ).toEqual([]);
  });

  it('reads the CloudEvent from Pub/Sub attributes', () => {
    expect(workspaceEventOf({ 'spacelog-command': 'post-digest' }, {})).toBeUndefined();
    expect(workspaceEventOf({ 'ce-type': 't', 'ce-id': 'i', 'ce-time': 'x' }, { a: 1 })).toEqual({
      type: 't',
      id: 'i',
      time: 'x',
      data: { a: 1 },
    });
  });
});

describe('Workspace Events: subscriptions', () => {
  it('subscribes a space and records it; a second subscribe adopts and renews the existing one', async () => {
    const { deps, api, types } = setUp();
    expect((await subscribeSpace(deps, SPACE)).status).toBe('created');
    expect((await subscribeSpace(deps, SPACE)).status).toBe('adopted');
    expect(api.subs.size).toBe(1);
    expect(api.calls).toEqual(['create', 'create', 'list', 'renew subscriptions/s1']);
    expect(await types()).toEqual(['EventsSubscriptionCreated', 'EventsSubscriptionRenewed']);
  });

  it('subscribes nothing when the app scopes are not approved', async () => {
    const { deps, api } = setUp();
    const off = { ...deps, subscriptions: { ...deps.subscriptions, enabled: false } };
    expect((await subscribeSpace(off, SPACE)).status).toBe('disabled');
    expect(api.calls).toEqual([]);
  });

  it('the sweep renews only subscriptions expiring within the window', async () => {
    const { deps, api, clock } = setUp();
    await subscribeSpace(deps, SPACE);
    await subscribeSpace(deps, 'spaces/BBB');
    clock.advance(3 * 3_600_000);
    api.subs.set('subscriptions/s2', {
      ...api.subs.get('subscriptions/s2')!,
      expireTime: '2026-05-10T00:00:00Z',
    });
    expect(await renewExpiring(deps)).toEqual({ renewed: 1, failed: 0 });
    expect(api.calls.filter((c) => c.startsWith('renew'))).toEqual(['renew subscriptions/s1']);
  });

  it('renews on an expiration reminder', async () => {
    const { deps, api, types } = setUp();
    const { subscription } = (await subscribeSpace(deps, SPACE)) as { subscription: Subscription };
    const out = await handleWorkspaceEvent(deps, {
      type: 'google.workspace.events.subscription.v1.expirationReminder',
      data: { subscription },
    });
    expect(out.lifecycle).toBe('renewed');
    expect(api.calls.at(-1)).toBe(`renew ${subscription.name}`);
    expect((await types()).at(-1)).toBe('EventsSubscriptionRenewed');
  });

  it('after expiry: records the lapse, subscribes again and catches up each missed message once', async () => {
    const seen = message('M1', '2026-05-04T09:00:00.000001Z');
    const missed = message('M2', '2026-05-04T09:30:00.000001Z');
    const { deps, api, events, filters, types } = setUp([seen, missed]);
    const { subscription } = (await subscribeSpace(deps, SPACE)) as { subscription: Subscription };
    await handleWorkspaceEvent(deps, {
      type: 'google.workspace.chat.message.v1.created',
      data: { message: seen },
    });
    api.subs.delete(subscription.name);

    const out = await handleWorkspaceEvent(deps, {
      type: 'google.workspace.events.subscription.v1.expired',
      id: 'ce-1',
      data: { subscription },
    });
    expect(out).toMatchObject({ lifecycle: 'recreated', recorded: 2 });
    expect(filters).toEqual(['createTime > "2026-05-04T09:00:00.000001Z"']);
    expect(await types()).toEqual([
      'EventsSubscriptionCreated',
      'SpaceMessageCreated',
      'EventsSubscriptionLapsed',
      'EventsSubscriptionCreated',
      'SpaceMessageCreated',
    ]);
    expect((await events.get(`chat:${SPACE}/messages/M2:created`))?.type).toBe(
      'SpaceMessageCreated',
    );

    // The same lifecycle event delivered again records nothing new.
    const again = await handleWorkspaceEvent(deps, {
      type: 'google.workspace.events.subscription.v1.expired',
      id: 'ce-1',
      data: { subscription },
    });
    expect(again.recorded).toBe(0);
  });

  it('reactivates a suspended subscription and catches up', async () => {
    const { deps, api, types } = setUp([message('M3', '2026-05-04T09:45:00Z')]);
    const { subscription } = (await subscribeSpace(deps, SPACE)) as { subscription: Subscription };
    const out = await handleWorkspaceEvent(deps, {
      type: 'google.workspace.events.subscription.v1.suspended',
      data: {
        subscription: {
          ...subscription,
          state: 'SUSPENDED',
          suspensionReason: 'ENDPOINT_NOT_FOUND',
        },
      },
    });
    expect(out.lifecycle).toBe('reactivated');
    expect(api.calls).toContain(`reactivate ${subscription.name}`);
    expect(await types()).toEqual([
      'EventsSubscriptionCreated',
      'EventsSubscriptionLapsed',
      'EventsSubscriptionRenewed',
      'SpaceMessageCreated',
    ]);
  });

  it('WatchSpace subscribes on join, unsubscribes on leave, and acks a space it cannot reach', async () => {
    const { deps, api } = setUp();
    const join = parseWatchSpace(
      watchSpaceMessage({ command: 'WatchSpace', space: SPACE, watch: true }).data,
    );
    expect(await handleWatchSpace(deps, join)).toBe('subscribed');
    expect(await handleWatchSpace(deps, { ...join, watch: false })).toBe('unsubscribed');
    expect(api.subs.size).toBe(0);

    const gone = {
      ...deps,
      client: {
        ...deps.client,
        create: () => Promise.reject(new SpacelogError('forbidden', 'not a member')),
      },
    };
    expect(await handleWatchSpace(gone, join)).toBe('unreachable');
    const broken = {
      ...gone,
      client: { ...gone.client, create: () => Promise.reject(new Error('x')) },
    };
    await expect(handleWatchSpace(broken, join)).rejects.toMatchObject({ code: 'internal' });
  });
});
