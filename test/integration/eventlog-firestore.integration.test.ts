/**
 * The event log contract on the Firestore stores, against the emulator, plus
 * what only Firestore has: the document layout (two documents per event,
 * created once, nothing else written) and the settle window of `readAll`.
 */
import { describe, expect, it } from 'vitest';
import { createFirestoreEventStore, newEvent, spaceStream } from '../../shared/eventlog/index.js';
import { createFirestore } from '../../shared/firestore.js';
import { createFirestoreProjectionStore } from '../../shared/projections/index.js';
import { describeEventStoreContract, message } from '../support/eventlog-contract.js';

const db = createFirestore({
  projectId: 'eventlog-firestore-it',
  firestoreDatabase: '(default)',
  firestoreEmulatorHost: process.env['FIRESTORE_EMULATOR_HOST'],
});
let next = 0;
const prefix = () => `t${++next}_`;

describeEventStoreContract('firestore', {
  eventStore: (options) =>
    createFirestoreEventStore({ db, ...options, settleMs: 0, collectionPrefix: prefix() }),
  projectionStore: () => createFirestoreProjectionStore({ db, collectionPrefix: prefix() }),
});

describe('firestore event store layout', () => {
  it('writes two documents per event, each once, and nothing else', async () => {
    const p = prefix();
    const store = createFirestoreEventStore({ db, collectionPrefix: p, settleMs: 0 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.append(message(i + 1))));
    await Promise.all(Array.from({ length: 5 }, () => store.append(message(1))));

    const events = await db.collectionGroup(`${p}streamEvents`).get();
    const ids = await db.collection(`${p}eventIds`).get();
    expect(events.size).toBe(12);
    expect(ids.size).toBe(12);
    for (const d of [...events.docs, ...ids.docs]) {
      expect(d.updateTime.isEqual(d.createTime)).toBe(true);
    }
    const streams = await db.collection(`${p}eventStreams`).listDocuments();
    const streamDocs = await db.getAll(...streams);
    expect(streamDocs.every((d) => !d.exists)).toBe(true);
    // The id claim is named by a hash, not by anything that grows.
    expect(ids.docs.every((d) => /^[A-Za-z0-9_-]{43}$/.test(d.id))).toBe(true);
  });

  it('holds back from readAll events younger than the settle window', async () => {
    const store = createFirestoreEventStore({ db, collectionPrefix: prefix(), settleMs: 60_000 });
    const later = createFirestoreEventStore({ db, collectionPrefix: prefix(), settleMs: 0 });
    const event = newEvent('AppRemovedFromSpace', {
      id: 'removed:1',
      stream: spaceStream('spaces/Z'),
      occurredAt: '2026-03-01T00:00:00Z',
      causedBy: { kind: 'app' },
      payload: { spaceName: 'spaces/Z' },
    });
    await store.append(event);
    await later.append(event);
    const held = await store.readAll();
    expect(held.events).toEqual([]);
    expect((await store.readAll({ cursor: held.cursor })).events).toEqual([]);
    expect((await later.readAll()).events.map((e) => e.id)).toEqual(['removed:1']);
  });

  it('finds the head of a stream that another process appended to', async () => {
    const p = prefix();
    const writer = createFirestoreEventStore({ db, collectionPrefix: p, settleMs: 0 });
    for (let n = 1; n <= 37; n++) await writer.append(message(n));
    const reader = createFirestoreEventStore({ db, collectionPrefix: p, settleMs: 0 });
    expect(await reader.streamVersion(spaceStream('spaces/AAAA'))).toBe(37);
    const appended = await reader.append(message(38));
    expect(appended.event.version).toBe(38);
    await writer.append(message(39));
    expect(
      (await writer.readStreamTail(spaceStream('spaces/AAAA'), 2)).map((e) => e.version),
    ).toEqual([38, 39]);
  });
});
