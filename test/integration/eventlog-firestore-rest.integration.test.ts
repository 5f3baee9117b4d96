/**
 * The event log contract on the REST Firestore store against the emulator,
 * and that the REST store and the client-library store read what the other
 * wrote: same documents, same versions, same log order and cursors.
 */
import { Timestamp } from '@google-cloud/firestore';
import { describe, expect, it } from 'vitest';
import { createFirestoreEventStore, newEvent, spaceStream } from '../../shared/eventlog/index.js';
import { createFirestoreRestEventStore } from '../../shared/eventlog/firestore-rest-store.js';
import { createFirestore } from '../../shared/firestore.js';
import { createFirestoreRest } from '../../shared/firestore-rest.js';
import { createFirestoreProjectionStore } from '../../shared/projections/index.js';
import { describeEventStoreContract, message } from '../support/eventlog-contract.js';

const config = {
  projectId: 'eventlog-firestore-rest-it',
  firestoreDatabase: '(default)',
  firestoreEmulatorHost: process.env['FIRESTORE_EMULATOR_HOST'],
};
const db = createFirestore(config);
const rest = createFirestoreRest(config, () => Promise.reject(new Error('no credentials here')));
let next = 0;
const prefix = () => `r${++next}_`;

describeEventStoreContract('firestore-rest', {
  eventStore: (options) =>
    createFirestoreRestEventStore({ rest, ...options, settleMs: 0, collectionPrefix: prefix() }),
  projectionStore: () => createFirestoreProjectionStore({ db, collectionPrefix: prefix() }),
});

describe('firestore REST event store', () => {
  it('reads what the client-library store wrote and appends after it, and the reverse', async () => {
    const collectionPrefix = prefix();
    const viaRest = createFirestoreRestEventStore({ rest, collectionPrefix, settleMs: 0 });
    const viaClient = createFirestoreEventStore({ db, collectionPrefix, settleMs: 0 });
    const stream = spaceStream('spaces/AAAA');

    await viaClient.append(message(1));
    await viaRest.append(message(2));
    await viaClient.append(message(3));
    const again = await viaRest.append(message(1));

    expect(again.status).toBe('duplicate');
    expect(again.event.version).toBe(1);
    const fromRest = await viaRest.readStream(stream);
    const fromClient = await viaClient.readStream(stream);
    expect(fromRest.map((e) => e.id)).toEqual([1, 2, 3].map((n) => message(n).id));
    expect(fromRest).toEqual(fromClient);

    const restLog = await viaRest.readAll({ limit: 2 });
    const clientLog = await viaClient.readAll({ limit: 2 });
    expect(restLog).toEqual(clientLog);
    expect(await viaRest.readAll({ cursor: clientLog.cursor })).toEqual(
      await viaClient.readAll({ cursor: restLog.cursor }),
    );
  });

  it('stores payload values as the client library does: integers, doubles, nested maps and lists', async () => {
    const collectionPrefix = prefix();
    const viaRest = createFirestoreRestEventStore({ rest, collectionPrefix, settleMs: 0 });
    const viaClient = createFirestoreEventStore({ db, collectionPrefix, settleMs: 0 });
    const event = newEvent('DigestSettingsChanged', {
      id: 'digest:1',
      stream: spaceStream('spaces/B'),
      occurredAt: '2026-03-01T00:00:00Z',
      causedBy: { kind: 'user', id: 'users/1' },
      payload: {
        enabled: false,
        cadence: 'weekly',
        timeOfDay: '09:30',
        timeZone: 'Europe/Paris',
        quiet: 'skip',
        weekday: 1,
      },
    });
    const written = await viaRest.append(event);
    const [read] = await viaClient.readStream(event.stream);
    expect(read).toEqual(written.event);
    const raw = await db.collectionGroup(`${collectionPrefix}streamEvents`).get();
    expect(raw.docs[0]?.get('committedAt')).toBeInstanceOf(Timestamp);
  });
});
