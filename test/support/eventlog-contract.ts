/**
 * The event log's contract suite: one set of tests every `EventStore` passes.
 * `eventlog-memory.unit.test.ts` runs it on the in-memory store and
 * `eventlog-firestore.integration.test.ts` on the Firestore store against the
 * emulator. Each test gets fresh, empty stores from the factory.
 */
import { describe, expect, it } from 'vitest';
import { manualClock, type Clock } from '../../shared/clock.js';
import { SpacelogError } from '../../shared/errors.js';
import {
  logPages,
  newEvent,
  spaceStream,
  streamEvents,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../../shared/eventlog/index.js';
import type { ProjectionStore } from '../../shared/projections/index.js';
import { describeProjectionContract } from './eventlog-projection-contract.js';

/** What a contract run needs: fresh stores on demand. */
export interface EventStoreFactory {
  /** A fresh, empty event store. */
  eventStore(options?: { storeMessageText?: boolean; clock?: Clock }): EventStore;
  /** A fresh, empty projection store. */
  projectionStore(): ProjectionStore;
}

const SPACE = 'spaces/AAAA';
const STREAM = spaceStream(SPACE);

/** A valid message event in the test space. */
export function message(n: number, stream = STREAM, text?: string): NewEvent {
  return newEvent('SpaceMessageCreated', {
    id: `msg:${stream}:${n}`,
    stream,
    occurredAt: new Date(Date.UTC(2026, 2, 1, 12, 0, n)),
    causedBy: { kind: 'user', id: 'users/1' },
    payload: {
      messageName: `${SPACE}/messages/${n}`,
      sender: 'users/1',
      textLength: 5,
      ...(text === undefined ? {} : { text }),
    },
  });
}

async function refusal(promise: Promise<unknown>): Promise<SpacelogError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpacelogError);
  return err as SpacelogError;
}

/** Registers the contract suite for one kind of store. */
export function describeEventStoreContract(name: string, factory: EventStoreFactory): void {
  describe(`${name} event store contract`, () => {
    it('records an event at version 1 and reads it back by stream, tail, id and log', async () => {
      const store = factory.eventStore();
      const result = await store.append(message(1));
      expect(result.status).toBe('appended');
      expect(result.event).toMatchObject({ version: 1, schemaVersion: 1, stream: STREAM });
      expect(await store.readStream(STREAM)).toEqual([result.event]);
      expect(await store.readStreamTail(STREAM, 5)).toEqual([result.event]);
      expect(await store.get(result.event.id)).toEqual(result.event);
      expect(await store.streamVersion(STREAM)).toBe(1);
      expect((await store.readAll()).events).toEqual([result.event]);
    });

    it('gives exactly one event when the same event is appended 10 times concurrently', async () => {
      const store = factory.eventStore();
      const results = await Promise.all(Array.from({ length: 10 }, () => store.append(message(1))));
      expect(results.filter((r) => r.status === 'appended')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(9);
      const first = results.find((r) => r.status === 'appended')?.event;
      for (const r of results) expect(r.event).toEqual(first);
      expect(await store.readStream(STREAM)).toHaveLength(1);
      expect((await store.readAll()).events).toHaveLength(1);
    });

    it('gives versions 1 to 20 without gap or duplicate for 20 concurrent appends to one stream', async () => {
      const store = factory.eventStore();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.append(message(i + 1))),
      );
      expect(results.every((r) => r.status === 'appended')).toBe(true);
      const versions = results.map((r) => r.event.version).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const stored = await store.readStream(STREAM);
      expect(stored.map((e) => e.version)).toEqual(versions);
      expect(new Set(stored.map((e) => e.id)).size).toBe(20);
      for (const r of results) expect(stored[r.event.version - 1]).toEqual(r.event);
    });

    it('refuses an append with a stale expected version with a conflict and writes nothing', async () => {
      const store = factory.eventStore();
      await store.append(message(1), { expectedVersion: 0 });
      await store.append(message(2), { expectedVersion: 1 });
      const stale = await refusal(store.append(message(3), { expectedVersion: 1 }));
      expect(stale.code).toBe('conflict');
      const ahead = await refusal(store.append(message(3), { expectedVersion: 5 }));
      expect(ahead.code).toBe('conflict');
      expect(await store.get(message(3).id)).toBeUndefined();
      expect(await store.streamVersion(STREAM)).toBe(2);
    });

    it('answers a repeated id as a duplicate even with a stale expected version', async () => {
      const store = factory.eventStore();
      const first = await store.append(message(1), { expectedVersion: 0 });
      await store.append(message(2));
      const again = await store.append(message(1), { expectedVersion: 0 });
      expect(again).toEqual({ status: 'duplicate', event: first.event });
    });

    it('lets exactly one of several concurrent appends with the same expected version win', async () => {
      const store = factory.eventStore();
      const outcomes = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((n) => store.append(message(n), { expectedVersion: 0 })),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect((o.reason as SpacelogError).code).toBe('conflict');
      }
      expect(await store.streamVersion(STREAM)).toBe(1);
    });

    it('refuses an event failing its schema, naming type and field but not the value, and writes nothing', async () => {
      const store = factory.eventStore();
      const bad = newEvent('AppAddedToSpace', {
        id: 'added:1',
        stream: STREAM,
        occurredAt: '2026-03-01T12:00:00Z',
        causedBy: { kind: 'app' },
        payload: { spaceName: SPACE, spaceType: 'SECRET-VALUE' as 'SPACE' },
      });
      const err = await refusal(store.append(bad));
      expect(err.code).toBe('invalid-input');
      expect(err.message).toContain('AppAddedToSpace');
      expect(err.message).toContain('payload.spaceType');
      expect(err.message).not.toContain('SECRET-VALUE');
      expect(err.details).toMatchObject({
        eventType: 'AppAddedToSpace',
        field: 'payload.spaceType',
      });

      const unknownField = { ...bad, payload: { spaceName: SPACE, spaceType: 'SPACE', extra: 1 } };
      expect((await refusal(store.append(unknownField))).details['field']).toBe('payload.extra');
      const wrongStream = { ...message(1), stream: 'user:1' as const };
      expect((await refusal(store.append(wrongStream))).details['field']).toBe('stream');
      const unknownType = { ...message(1), type: 'SomethingHappened' };
      expect((await refusal(store.append(unknownType))).code).toBe('invalid-input');

      expect(await store.get('added:1')).toBeUndefined();
      expect(await store.streamVersion(STREAM)).toBe(0);
      expect((await store.readAll()).events).toEqual([]);
    });

    it('drops message text unless the store keeps it', async () => {
      const plain = factory.eventStore();
      const kept = factory.eventStore({ storeMessageText: true });
      const dropped = await plain.append(message(1, STREAM, 'hello'));
      const stored = await kept.append(message(1, STREAM, 'hello'));
      expect(dropped.event.payload).not.toHaveProperty('text');
      expect((await plain.get(dropped.event.id))?.payload).not.toHaveProperty('text');
      expect((await kept.get(stored.event.id))?.payload).toHaveProperty('text', 'hello');
    });

    it('stamps recordedAt from its clock and keeps occurredAt as given', async () => {
      const clock = manualClock('2026-03-02T08:00:00.000Z');
      const store = factory.eventStore({ clock });
      const { event } = await store.append(message(7));
      expect(event.recordedAt).toBe('2026-03-02T08:00:00.000Z');
      expect(event.occurredAt).toBe('2026-03-01T12:00:07.000Z');
    });

    it('reads a stream after a version, limited, and pages through a long one', async () => {
      const store = factory.eventStore();
      for (let n = 1; n <= 30; n++) await store.append(message(n));
      const middle = await store.readStream(STREAM, { afterVersion: 10, limit: 5 });
      expect(middle.map((e) => e.version)).toEqual([11, 12, 13, 14, 15]);
      expect(await store.readStream(STREAM, { afterVersion: 30 })).toEqual([]);
      const all: RecordedEvent[] = [];
      for await (const e of streamEvents(store, STREAM, { pageSize: 7 })) all.push(e);
      expect(all.map((e) => e.version)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const tail = await store.readStreamTail(STREAM, 4);
      expect(tail.map((e) => e.version)).toEqual([27, 28, 29, 30]);
      expect(await store.readStreamTail(spaceStream('spaces/EMPTY'), 4)).toEqual([]);
    });

    it('reads the whole log in recorded order across streams, page by page, with cursors', async () => {
      const store = factory.eventStore();
      const appended: RecordedEvent[] = [];
      for (let n = 1; n <= 12; n++) {
        const stream = spaceStream(`spaces/S${n % 3}`);
        appended.push((await store.append(message(n, stream))).event);
      }
      const seen: RecordedEvent[] = [];
      let cursor: string | undefined;
      for await (const page of logPages(store, { pageSize: 5 })) {
        seen.push(...page.events);
        cursor = page.cursor;
      }
      expect(seen).toEqual(appended);
      const after = await store.readAll({ cursor: cursor ?? '' });
      expect(after).toEqual({ events: [], cursor });
      const next = (await store.append(message(13))).event;
      expect((await store.readAll({ cursor: cursor ?? '' })).events).toEqual([next]);
    });

    it('refuses a cursor it did not make', async () => {
      const store = factory.eventStore();
      const err = await refusal(store.readAll({ cursor: 'not-a-cursor' }));
      expect(err.code).toBe('invalid-input');
    });
  });

  describeProjectionContract(name, factory);
}
