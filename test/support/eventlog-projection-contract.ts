/**
 * The projection half of the event log's contract suite: projections built
 * incrementally equal those rebuilt by replay, applying twice changes
 * nothing, and the projections answer what the functions ask of them.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import {
  incidentStream,
  newEvent,
  spaceStream,
  userStream,
  type EventStore,
  type EventType,
  type NewEventOf,
  type PayloadOf,
  type StreamId,
} from '../../shared/eventlog/index.js';
import {
  createProjector,
  LOG_CHECKPOINT_ID,
  replayProjections,
  type ProjectionSnapshot,
  type ProjectionStore,
} from '../../shared/projections/index.js';

interface Factory {
  eventStore(options?: { storeMessageText?: boolean; clock?: Clock }): EventStore;
  projectionStore(): ProjectionStore;
}

const A = 'spaces/AAA';
const B = 'spaces/BBB';
const INCIDENT = 'inc-1';

let seq = 0;
function ev<T extends EventType>(
  type: T,
  stream: StreamId,
  at: string,
  payload: PayloadOf<T>,
  by = 'users/1',
): NewEventOf<T> {
  seq += 1;
  return newEvent(type, {
    id: `${type}:${stream}:${seq}`,
    stream,
    occurredAt: at,
    causedBy: { kind: 'user', id: by },
    payload,
  });
}

/** A day in the life of two spaces, an incident and a user, in log order. */
export function scenario(): NewEventOf<EventType>[] {
  const a = spaceStream(A);
  const b = spaceStream(B);
  const inc = incidentStream(INCIDENT);
  const msg = (n: number, sender: string, thread?: string) =>
    ev('SpaceMessageCreated', a, `2026-03-02T0${n}:10:00Z`, {
      messageName: `${A}/messages/m${n}`,
      sender,
      textLength: 10,
      ...(thread === undefined ? {} : { threadName: `${A}/threads/${thread}` }),
    });
  return [
    ev('AppAddedToSpace', a, '2026-03-01T08:00:00Z', {
      spaceName: A,
      spaceType: 'SPACE',
      displayName: 'Ops',
      timeZone: 'Europe/Paris',
    }),
    ev('DigestSettingsChanged', a, '2026-03-01T08:01:00Z', {
      enabled: true,
      cadence: 'daily',
      timeOfDay: '09:00',
      timeZone: 'Europe/Paris',
    }),
    ev('MemberJoined', a, '2026-03-01T08:02:00Z', { member: 'users/2', displayName: 'Bo' }),
    msg(1, 'users/1', 't1'),
    msg(2, 'users/2', 't1'),
    ev('InteractionReceived', a, '2026-03-02T03:00:00Z', {
      kind: 'mention',
      format: 'classic',
      via: 'http',
      spaceName: A,
      userName: 'users/2',
      messageName: `${A}/messages/m2`,
      threadName: `${A}/threads/t1`,
    }),
    ev('InteractionReceived', a, '2026-03-02T03:30:00Z', {
      kind: 'slash-command',
      format: 'add-on',
      via: 'http',
      spaceName: A,
      userName: 'users/3',
      commandId: '2',
    }),
    ev('IncidentOpened', inc, '2026-03-02T04:00:00Z', {
      title: 'Database down',
      source: 'alert',
      responders: ['users/1', 'users/1'],
      originSpace: A,
      alertKey: 'db-down',
    }),
    ev('IncidentSpaceCreated', inc, '2026-03-02T04:00:05Z', {
      spaceName: 'spaces/INC',
      mode: 'app',
    }),
    ev('IncidentResponderAdded', inc, '2026-03-02T04:00:06Z', { member: 'users/4' }),
    msg(5, 'users/1'),
    ev('DigestPosted', a, '2026-03-02T08:00:30Z', {
      periodStart: '2026-03-01T08:01:00.000Z',
      periodEnd: '2026-03-02T08:00:00.000Z',
      checkpointVersion: 7,
      requestId: 'digest-1',
      delivery: 'api',
    }),
    ev('MemberLeft', a, '2026-03-02T09:00:00Z', { member: 'users/2' }),
    ev('IncidentAcknowledged', inc, '2026-03-02T04:05:00Z', { by: 'users/4' }),
    ev('IncidentResolved', inc, '2026-03-02T05:00:00Z', { source: 'alert' }),
    ev('UserGrantRecorded', userStream('users/1'), '2026-03-02T06:00:00Z', {
      scopes: ['chat.spaces'],
      requestedScopes: ['chat.spaces', 'chat.messages'],
      keyId: 'k1',
    }),
    ev('AppAddedToSpace', b, '2026-03-02T06:00:00Z', { spaceName: B, spaceType: 'GROUP_CHAT' }),
    ev('DigestSettingsChanged', b, '2026-03-02T06:01:00Z', {
      enabled: true,
      cadence: 'weekly',
      weekday: 5,
      timeOfDay: '17:30',
      timeZone: 'Asia/Kolkata',
    }),
    ev('AppRemovedFromSpace', b, '2026-03-02T07:00:00Z', { spaceName: B }),
  ];
}

function withoutLogCheckpoint(s: ProjectionSnapshot): ProjectionSnapshot {
  const checkpoints = { ...s.checkpoints };
  delete checkpoints[LOG_CHECKPOINT_ID];
  return { ...s, checkpoints };
}

/** Registers the projection contract for one kind of store. */
export function describeProjectionContract(name: string, factory: Factory): void {
  describe(`${name} projections contract`, () => {
    async function incrementally() {
      const events = factory.eventStore();
      const store = factory.projectionStore();
      const projector = createProjector({ events, store, pageSize: 4 });
      for (const [i, e] of scenario().entries()) {
        await events.append(e);
        // Mostly the per-stream catch-up functions use, sometimes the sweep.
        await (i % 5 === 4 ? projector.catchUp() : projector.catchUp({ streams: [e.stream] }));
      }
      await projector.catchUp();
      return { events, store, projector };
    }

    it('rebuilds by replay exactly the projections built incrementally', async () => {
      const { events, store } = await incrementally();
      const rebuilt = factory.projectionStore();
      const result = await replayProjections({ events, target: rebuilt, pageSize: 3 });
      expect(result.events).toBe(scenario().length);
      expect(await rebuilt.snapshot()).toEqual(await store.snapshot());
      expect(result.documents.spaces).toBe(2);
    });

    it('replays over stale projections, deleting documents the log does not explain', async () => {
      const { events, store } = await incrementally();
      const expected = await store.snapshot();
      await store.commit([
        {
          key: { collection: 'spaces', id: 'GHOST' },
          data: { spaceName: 'spaces/GHOST', inSpace: true, applied: {} },
          loaded: undefined,
        },
      ]);
      await replayProjections({ events, target: store });
      expect(await store.snapshot()).toEqual(expected);
    });

    it('changes nothing when events are applied again', async () => {
      const { events, store, projector } = await incrementally();
      const before = await store.snapshot();
      const again = await projector.catchUp({
        streams: [spaceStream(A), incidentStream(INCIDENT)],
      });
      expect(again.writes).toBe(0);
      // A second projector sweeping the log from the start re-applies everything.
      const checkpoint = await store.load([{ collection: 'checkpoints', id: LOG_CHECKPOINT_ID }]);
      const loaded = [...checkpoint.values()][0];
      await store.commit([
        {
          key: { collection: 'checkpoints', id: LOG_CHECKPOINT_ID },
          data: { applied: {} },
          loaded,
        },
      ]);
      const sweep = createProjector({ events, store, pageSize: 5 });
      const swept = await sweep.catchUp();
      expect(swept.events).toBe(scenario().length);
      expect(withoutLogCheckpoint(await store.snapshot())).toEqual(withoutLogCheckpoint(before));
    });

    it('ends in the same state when two projectors catch up at once', async () => {
      const events = factory.eventStore();
      for (const e of scenario()) await events.append(e);
      const store = factory.projectionStore();
      const one = createProjector({ events, store, pageSize: 3, maxAttempts: 50 });
      const two = createProjector({ events, store, pageSize: 3, maxAttempts: 50 });
      const streams = [...new Set(scenario().map((e) => e.stream))];
      await Promise.all([one.catchUp({ streams }), two.catchUp({ streams }), one.catchUp()]);
      await one.catchUp();
      const rebuilt = factory.projectionStore();
      await replayProjections({ events, target: rebuilt });
      expect(withoutLogCheckpoint(await store.snapshot())).toEqual(
        withoutLogCheckpoint(await rebuilt.snapshot()),
      );
    });

    it('answers what the functions ask: spaces, members, activity, schedules, incidents, grants', async () => {
      const { store } = await incrementally();
      expect((await store.spacesIn()).map((s) => s.spaceName)).toEqual([A]);
      expect(await store.get('spaces', 'BBB')).toMatchObject({
        inSpace: false,
        spaceType: 'GROUP_CHAT',
      });
      expect((await store.membersOf(A)).map((m) => m.member)).toEqual(['users/1']);

      // The digest covered up to version 7; m5 (version 8) landed before DigestPosted.
      const activity = await store.get('activity', 'AAA');
      expect(activity?.sinceVersion).toBe(7);
      expect(activity?.counts).toEqual({
        messages: 1,
        activePeople: 1,
        threads: 0,
        commands: 0,
        membersJoined: 0,
        membersLeft: 1,
        incidents: 0,
      });

      const scheduleA = await store.get('digestSchedules', 'AAA');
      expect(scheduleA).toMatchObject({ enabled: true, nextDueAt: '2026-03-03T08:00:00.000Z' });
      const scheduleB = await store.get('digestSchedules', 'BBB');
      expect(scheduleB).toMatchObject({ enabled: false, inSpace: false });
      expect(scheduleB?.nextDueAt).toBeUndefined();
      const due = await store.dueDigests(new Date('2026-03-03T08:00:00Z'), 10);
      expect(due.map((d) => d.id)).toEqual(['AAA']);
      expect(await store.dueDigests(new Date('2026-03-03T07:59:59Z'), 10)).toEqual([]);

      const [incident] = await store.incidentsByAlertKey('db-down');
      expect(incident).toMatchObject({
        key: INCIDENT,
        state: 'resolved',
        spaceName: 'spaces/INC',
        responders: ['users/1', 'users/4'],
        acknowledgedBy: 'users/4',
      });
      expect(await store.get('grants', '1')).toMatchObject({ active: true, keyId: 'k1' });
    });

    it('counts activity before a digest, deduplicating a message seen twice', async () => {
      const events = factory.eventStore();
      const store = factory.projectionStore();
      const projector = createProjector({ events, store });
      for (const e of scenario().slice(0, 8)) await events.append(e);
      await projector.catchUp();
      expect((await store.get('activity', 'AAA'))?.counts).toEqual({
        messages: 2,
        activePeople: 3,
        threads: 1,
        commands: 1,
        membersJoined: 1,
        membersLeft: 0,
        incidents: 1,
      });
    });
  });
}
