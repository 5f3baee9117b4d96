/**
 * Event log figures against the Firestore emulator, each over a baseline
 * measured in the same run:
 * - `eventlog.append`: appends a second across 50 spaces at once, over plain
 *   `create()` calls of documents of the same size (goal: ratio >= 0.5);
 * - `eventlog.read-window`: reading a space's 100 newest events with 20,000
 *   before them, over the same with 1,000 before them, each by a store that
 *   has never seen the stream (goal: ratio <= 1.3);
 * - `eventlog.writes-per-event`: documents written per appended event,
 *   counted in the database, over a plain create's 1 (goal: value <= 2).
 */
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { startEmulator } from '../local/emulators.js';
import {
  createFirestoreEventStore,
  newEvent,
  spaceStream,
  type NewEvent,
  type RecordedEvent,
} from '../shared/eventlog/index.js';
import { logCollections, logRefs, toEventDoc } from '../shared/eventlog/firestore-layout.js';
import { createFirestore } from '../shared/firestore.js';
import { figure, median, type Bench, type Figure } from './figure.js';

const SPACES = 50;
const PER_SPACE = 8;

function event(space: number, n: number): NewEvent {
  return newEvent('SpaceMessageCreated', {
    id: `bench:${space}:${n}`,
    stream: spaceStream(`spaces/BENCH${space}`),
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    causedBy: { kind: 'user', id: `users/${space}` },
    payload: {
      messageName: `spaces/BENCH${space}/messages/${n}`,
      sender: `users/${space}`,
      threadName: `spaces/BENCH${space}/threads/t`,
      textLength: 42,
    },
  });
}

function recorded(e: NewEvent, version: number): RecordedEvent {
  return { ...e, version, schemaVersion: 1, recordedAt: new Date().toISOString() };
}

/** Runs `work(space)` for every space at once; returns operations per second. */
async function rate(work: (space: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: SPACES }, (_, s) => work(s)));
  return (SPACES * PER_SPACE) / ((performance.now() - started) / 1000);
}

async function appendRates(db: Firestore, round: number) {
  const prefix = `append${round}_`;
  const store = createFirestoreEventStore({ db, collectionPrefix: prefix });
  const appends = await rate(async (s) => {
    for (let n = 1; n <= PER_SPACE; n++) await store.append(event(s, n));
  });
  const plain = db.collection(`plain${round}`);
  const creates = await rate(async (s) => {
    for (let n = 1; n <= PER_SPACE; n++) {
      await plain.doc().create(toEventDoc(recorded(event(s, n), n), FieldValue.serverTimestamp()));
    }
  });
  return { appends, creates, prefix, plain: `plain${round}` };
}

/** Documents under a prefix's log, checking each was written once. */
async function countWrites(db: Firestore, prefix: string): Promise<number> {
  const names = logCollections(prefix);
  const docs = [
    ...(await db.collectionGroup(names.events).select().get()).docs,
    ...(await db.collection(names.ids).select().get()).docs,
  ];
  const rewritten = docs.filter((d) => !d.updateTime.isEqual(d.createTime)).length;
  if (rewritten > 0) throw new Error(`${rewritten} log documents were written more than once`);
  return docs.length;
}

async function seed(db: Firestore, prefix: string, space: number, count: number): Promise<void> {
  const refs = logRefs(db, logCollections(prefix));
  // Only the version documents: reading a tail never touches the id claims.
  const batches: Promise<unknown>[] = [];
  for (let start = 1; start <= count; start += 500) {
    const batch = db.batch();
    for (let v = start; v < Math.min(count + 1, start + 500); v++) {
      const e = recorded(event(space, v), v);
      batch.set(refs.event(e.stream, v), toEventDoc(e, FieldValue.serverTimestamp()));
    }
    batches.push(batch.commit());
    if (batches.length >= 4) await Promise.all(batches.splice(0));
  }
  await Promise.all(batches);
}

async function readWindow(db: Firestore): Promise<{ large: number; small: number }> {
  const prefix = 'window_';
  await seed(db, prefix, 1, 1_100);
  await seed(db, prefix, 2, 20_100);
  const tail = async (space: number) => {
    const store = createFirestoreEventStore({ db, collectionPrefix: prefix });
    const started = performance.now();
    const events = await store.readStreamTail(spaceStream(`spaces/BENCH${space}`), 100);
    const took = performance.now() - started;
    if (events.length !== 100) throw new Error(`read ${events.length} events, not 100`);
    return took;
  };
  for (let i = 0; i < 2; i++) await Promise.all([tail(1), tail(2)]);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < 11; i++) {
    small.push(await tail(1));
    large.push(await tail(2));
  }
  return { large: median(large), small: median(small) };
}

export const run: Bench = async () => {
  const emulator = await startEmulator('firestore');
  const db = createFirestore({
    projectId: 'bench-eventlog',
    firestoreDatabase: '(default)',
    firestoreEmulatorHost: emulator.host,
  });
  try {
    await appendRates(db, 0); // warm-up: JIT, connections, emulator
    const rounds = [await appendRates(db, 1), await appendRates(db, 2)];
    const appends = median(rounds.map((r) => r.appends));
    const creates = median(rounds.map((r) => r.creates));

    const last = rounds[rounds.length - 1];
    if (last === undefined) throw new Error('no rounds');
    const logDocs = await countWrites(db, last.prefix);
    const plainDocs = (await db.collection(last.plain).count().get()).data().count;
    const events = SPACES * PER_SPACE;

    const window = await readWindow(db);
    const figures: Figure[] = [
      figure('eventlog.append', appends, 'appends/s', creates, { min: 0.5 }),
      figure('eventlog.read-window', window.large, 'ms', window.small, { max: 1.3 }),
      figure('eventlog.writes-per-event', logDocs / events, 'writes', plainDocs / events, {
        max: 2,
        on: 'value',
      }),
    ];
    return figures;
  } finally {
    await db.terminate();
    await emulator.stop();
  }
};
