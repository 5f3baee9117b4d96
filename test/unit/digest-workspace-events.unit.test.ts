import { describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { SpacelogError } from '../../shared/errors.js';
import { createMemoryEventStore, spaceStream } from '../../shared/eventlog/index.js';
import { silentLogger } from '../../shared/log.js';
import type { ChatMessage } from '../../shared/outbound/index.js';
import { buildSpacelogApp, streamDigestSettings } from '../../shared/app/spacelog/index.js';
import {
  parsePostDigest,
  parseWatchSpace,
  POST_DIGEST,
  WATCH_SPACE,
  watchSpaceMessage,
} from '../../shared/commands.js';
import { digestId } from '../../shared/digest/identity.js';
import { loadConfig } from '../../shared/config.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import { COMMAND_ATTRIBUTE, type OutgoingMessage } from '../../shared/pubsub.js';
import { classic, classicSlash, IDS } from '../support/chat-interactions.js';
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
      const found = subs.get(name);
      if (found === undefined) throw new SpacelogError('not-found', 'NOT_FOUND');
      const sub = expiring(found, ttl);
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

  it('acknowledges the expiration reminder of a subscription deleted since', async () => {
    const { deps, api, types } = setUp();
    const { subscription } = (await subscribeSpace(deps, SPACE)) as { subscription: Subscription };
    await api.client.remove(subscription.name);
    const out = await handleWorkspaceEvent(deps, {
      type: 'google.workspace.events.subscription.v1.expirationReminder',
      data: { subscription },
    });
    expect(out).toEqual({ recorded: 0, duplicates: 0, lifecycle: 'lost' });
    expect(await types()).toEqual(['EventsSubscriptionCreated']);
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

describe('Workspace Events: joining and leaving a space', () => {
  const APP_SPACE = 'spaces/AAAA'; // the space of the interactions in chat-interactions.ts

  /** Spacelog's app over the same log, publishing into `published` (or failing to). */
  function spacelogApp(deps: WorkspaceEventDeps, failPublish = () => false) {
    const published: [string, OutgoingMessage][] = [];
    const config = loadConfig({ ALERTS_TOPIC: 'alerts', COMMAND_ID_DIGEST: IDS.digest });
    const app = buildSpacelogApp({
      events: deps.events,
      publisher: {
        publish: async (topic, m) => {
          await Promise.resolve();
          if (failPublish()) throw new SpacelogError('unavailable', 'Pub/Sub is down');
          published.push([topic, m]);
          return String(published.length);
        },
      },
      clock: deps.clock,
      logger: silentLogger,
      digestSettings: streamDigestSettings(deps.events),
      config,
    });
    const deliver = (body: Record<string, unknown>, via: 'http' | 'pubsub' = 'http') =>
      app.handle(parseInteraction(body), via);
    const commandOf = ([topic, m]: [string, OutgoingMessage]) => {
      expect(topic).toBe('alerts');
      expect(m.attributes?.[COMMAND_ATTRIBUTE]).toBe(WATCH_SPACE);
      return parseWatchSpace(m.data);
    };
    /** Runs the published WatchSpace commands one after another, as chatPubsub does. */
    const runCommands = async () => {
      const outcomes: string[] = [];
      for (const m of published.splice(0))
        outcomes.push(await handleWatchSpace(deps, commandOf(m)));
      return outcomes;
    };
    /** Runs them all at once, as several chatPubsub instances may. */
    const raceCommands = () =>
      Promise.all(published.splice(0).map((m) => handleWatchSpace(deps, commandOf(m))));
    return { published, deliver, runCommands, raceCommands };
  }

  it('subscribes once per join, however often Chat delivers it, over HTTP or Pub/Sub', async () => {
    const { deps, api } = setUp();
    const app = spacelogApp(deps);
    const added = classic('ADDED_TO_SPACE');

    const first = await app.deliver(added, 'http');
    expect(first.reply.kind).toBe('message');
    await app.deliver(added, 'http');
    await app.deliver(added, 'pubsub');
    const outcomes = await app.runCommands();
    expect(outcomes.filter((o) => o === 'subscribed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already-done')).toHaveLength(2);
    expect(api.calls.filter((c) => c === 'create')).toHaveLength(1);
    expect(api.subs.size).toBe(1);

    // Running a delivered command again changes nothing either.
    await app.deliver(added, 'pubsub');
    expect(await app.runCommands()).toEqual(['already-done']);
    expect(api.calls.filter((c) => c === 'create')).toHaveLength(1);
  });

  it('leaves one subscription and one record of it when repeats of a join run at once', async () => {
    const { deps, api, events } = setUp();
    const app = spacelogApp(deps);
    const added = classic('ADDED_TO_SPACE');
    await Promise.all([app.deliver(added, 'http'), app.deliver(added, 'pubsub')]);
    await app.deliver(added, 'http');
    const outcomes = await app.raceCommands();
    expect(outcomes).toHaveLength(3);
    expect(api.subs.size).toBe(1);
    const recorded = (await events.readStream(spaceStream(APP_SPACE))).filter((e) =>
      e.type.startsWith('EventsSubscription'),
    );
    expect(recorded).toHaveLength(1);
  });

  it('deletes the subscription when the app is removed, and subscribes again when re-added', async () => {
    const { deps, api, events } = setUp();
    const app = spacelogApp(deps);
    await app.deliver(classic('ADDED_TO_SPACE', {}, 0));
    await app.runCommands();
    expect(api.subs.size).toBe(1);

    await app.deliver(classic('REMOVED_FROM_SPACE', {}, 1));
    await app.deliver(classic('REMOVED_FROM_SPACE', {}, 1));
    expect(await app.runCommands()).toEqual(['unsubscribed', 'unsubscribed']);
    expect(api.subs.size).toBe(0);
    const lapses = (await events.readStream(spaceStream(APP_SPACE))).filter(
      (e) => e.type === 'EventsSubscriptionLapsed',
    );
    expect(lapses).toHaveLength(1);

    await app.deliver(classic('ADDED_TO_SPACE', {}, 2));
    expect(await app.runCommands()).toEqual(['subscribed']);
    expect(api.subs.size).toBe(1);
  });

  it('fails the delivery when the command cannot be published, so that the retry publishes it', async () => {
    const { deps, api } = setUp();
    let down = true;
    const app = spacelogApp(deps, () => down);
    const added = classic('ADDED_TO_SPACE');
    await expect(app.deliver(added)).rejects.toMatchObject({ code: 'unavailable' });
    expect(app.published).toHaveLength(0);

    down = false;
    const retried = await app.deliver(added);
    expect(retried.firstDelivery).toBe(false);
    expect(retried.reply.kind).toBe('message');
    expect(await app.runCommands()).toEqual(['subscribed']);
    expect(api.subs.size).toBe(1);
  });

  it('/digest now publishes one on-demand digest job per request, for chatPubsub', async () => {
    const { deps } = setUp();
    const app = spacelogApp(deps);
    const asked = classicSlash(IDS.digest, ' now', 5);
    const reply = await app.deliver(asked);
    await app.deliver(asked, 'pubsub');
    expect(reply.reply.kind === 'message' && reply.reply.message.text).toMatch(/^Posting/);
    const jobs = app.published.map(([topic, m]) => {
      expect(topic).toBe('alerts');
      expect(m.attributes?.[COMMAND_ATTRIBUTE]).toBe(POST_DIGEST);
      return parsePostDigest(m.data);
    });
    expect(jobs).toHaveLength(2);
    expect(jobs[0]).toEqual(jobs[1]);
    expect(jobs[0]).toMatchObject({
      space: APP_SPACE,
      periodEnd: '2026-03-01T09:00:05.000Z',
      jobId: digestId(APP_SPACE, '2026-03-01T09:00:05.000Z'),
      onDemand: true,
    });
  });
});
