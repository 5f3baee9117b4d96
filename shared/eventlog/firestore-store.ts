/**
 * The Firestore event store.
 *
 * Layout (see `firestore-layout.ts`): each event is one document named by its
 * version inside its stream, `eventStreams/{stream}/streamEvents/{version}`,
 * plus one id claim `eventIds/{sha256(id)}`. An append is one batch that
 * `create()`s both, so it is one commit of two document writes, and nothing
 * else is ever written: no counter, no head document, no stream document.
 *
 * Why this holds under concurrency:
 * - `create()` fails with ALREADY_EXISTS when either document exists, and a
 *   batch is atomic, so a failed append wrote nothing. Reading the id claim
 *   then tells the two causes apart: present means a duplicate (the original
 *   is returned), absent means another append took the version.
 * - A version is only created when the version before it is known to exist
 *   (documents are never deleted), so a stream never has a gap; two appends
 *   can never both create one version, so none is lost or duplicated, and
 *   versions are the order.
 * - With `expectedVersion`, the version taken is `expectedVersion + 1`; a
 *   collision (or an expected version that does not exist yet) is a
 *   `conflict`. Without it, a collision moves on to the new head and tries
 *   again. No read-write transaction is used, so appends never wait on locks;
 *   they only retry when two appends to one stream race.
 * - The head of a stream is found by reading version documents by key (see
 *   `firestore-head.ts`), starting from the last version this process saw,
 *   so a warm append costs one commit and no read.
 *
 * The whole log is the collection group `streamEvents` in the order of
 * `committedAt`, a server timestamp (the commit time), then document path.
 * A reader at time T sees every commit stamped up to T, so a cursor past an
 * event never skips one committed later. `recordedAt` is the appender's
 * clock, for people; the order comes from `committedAt`.
 */
import { FieldPath, FieldValue, Timestamp, type Firestore } from '@google-cloud/firestore';
import { systemClock, type Clock } from '../clock.js';
import { SpacelogError } from '../errors.js';
import { findHead, HeadCache, streamReads, versionsExist } from './firestore-head.js';
import {
  fromEventDoc,
  logCollections,
  logPosition,
  logRefs,
  toEventDoc,
  toIdDoc,
} from './firestore-layout.js';
import {
  codeOf,
  conflict,
  DEFAULT_READ_LIMIT,
  decodeCursorAs,
  encodeCursor,
  storeError,
} from './store-common.js';
import type { AppendResult, EventStore, NewEvent, RecordedEvent, StreamId } from './types.js';
import { validateNewEvent } from './validate.js';

/** Options of the Firestore store. */
export interface FirestoreEventStoreOptions {
  readonly db: Firestore;
  /** Stamps `recordedAt`. Default: the system clock. */
  readonly clock?: Clock;
  /** Keep message text (STORE_MESSAGE_TEXT). Default false. */
  readonly storeMessageText?: boolean;
  /** Prefix of the collection names, for tests and benches sharing a project. */
  readonly collectionPrefix?: string;
  /** Attempts of an append without `expectedVersion` that keeps losing races. Default 100. */
  readonly maxAttempts?: number;
  /**
   * `readAll` returns only events committed at least this long before its
   * read time (default 1000 ms). Server timestamps have millisecond precision,
   * so two commits can share one; waiting until a millisecond is over (with a
   * wide margin for skew) means a cursor never passes an event committed later.
   */
  readonly settleMs?: number;
}

const ALREADY_EXISTS = 6;
const GET_ALL_CHUNK = 100;

/** Builds the Firestore event store. */
export function createFirestoreEventStore(options: FirestoreEventStoreOptions): EventStore {
  const { db } = options;
  const clock = options.clock ?? systemClock;
  const storeMessageText = options.storeMessageText ?? false;
  const maxAttempts = options.maxAttempts ?? 100;
  const settleMs = options.settleMs ?? 1000;
  const names = logCollections(options.collectionPrefix);
  const refs = logRefs(db, names);
  const heads = new HeadCache();

  async function head(stream: StreamId): Promise<number> {
    const found = await findHead(
      versionsExist(db, (v) => refs.event(stream, v)),
      heads.get(stream),
    );
    heads.saw(stream, found);
    return found;
  }

  async function versionExists(stream: StreamId, version: number): Promise<boolean> {
    if (version === 0 || heads.get(stream) >= version) return true;
    const snap = await refs.event(stream, version).get();
    if (snap.exists) heads.saw(stream, version);
    return snap.exists;
  }

  async function original(eventId: string): Promise<RecordedEvent | undefined> {
    const claim = await refs.id(eventId).get();
    if (!claim.exists) return undefined;
    const stream = claim.get('stream') as StreamId;
    const snap = await refs.event(stream, claim.get('version') as number).get();
    const data = snap.data();
    if (data === undefined) throw new SpacelogError('internal', 'Event claim without its event.');
    return fromEventDoc(data);
  }

  /** One attempt: true when written, false when a document already existed. */
  async function tryCreate(event: RecordedEvent): Promise<boolean> {
    const batch = db.batch();
    batch.create(
      refs.event(event.stream, event.version),
      toEventDoc(event, FieldValue.serverTimestamp()),
    );
    batch.create(refs.id(event.id), toIdDoc(event));
    try {
      await batch.commit();
      heads.saw(event.stream, event.version);
      return true;
    } catch (err) {
      if (codeOf(err) === ALREADY_EXISTS) return false;
      throw storeError(err, 'append');
    }
  }

  async function append(
    event: NewEvent,
    expectedVersion: number | undefined,
    schemaVersion: number,
  ) {
    const record = (version: number): RecordedEvent => ({
      ...event,
      version,
      schemaVersion,
      recordedAt: clock.now().toISOString(),
    });

    if (expectedVersion !== undefined) {
      const existing = await original(event.id);
      if (existing !== undefined) return duplicate(existing);
      if (!(await versionExists(event.stream, expectedVersion))) {
        throw conflict(event, expectedVersion);
      }
      const recorded = record(expectedVersion + 1);
      if (await tryCreate(recorded)) return appended(recorded);
      const raced = await original(event.id);
      if (raced !== undefined) return duplicate(raced);
      throw conflict(event, expectedVersion);
    }

    // A cold stream is probed first; a warm one tries the next version blind.
    let version =
      heads.get(event.stream) === 0 ? await head(event.stream) : heads.get(event.stream);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const recorded = record(version + 1);
      if (await tryCreate(recorded)) return appended(recorded);
      const existing = await original(event.id);
      if (existing !== undefined) return duplicate(existing);
      heads.saw(event.stream, version + 1);
      version = await head(event.stream);
    }
    throw new SpacelogError('unavailable', 'Append kept losing races for its stream.', {
      stream: event.stream,
      attempts: maxAttempts,
    });
  }

  async function readVersions(stream: StreamId, from: number, count: number) {
    const out: RecordedEvent[] = [];
    for (let start = from; start < from + count; start += GET_ALL_CHUNK) {
      const size = Math.min(GET_ALL_CHUNK, from + count - start);
      const snaps = await db.getAll(
        ...Array.from({ length: size }, (_, i) => refs.event(stream, start + i)),
      );
      for (const snap of snaps) {
        const data = snap.data();
        if (data === undefined) return out;
        out.push(fromEventDoc(data));
      }
    }
    const last = out.at(-1);
    if (last !== undefined) heads.saw(stream, last.version);
    return out;
  }

  return {
    async append(event, appendOptions = {}): Promise<AppendResult> {
      const valid = validateNewEvent(event, { storeMessageText });
      return append(valid.event, appendOptions.expectedVersion, valid.schemaVersion);
    },

    ...streamReads(heads, head, readVersions, DEFAULT_READ_LIMIT),

    streamVersion: head,

    async readAll(readOptions = {}) {
      const limit = readOptions.limit ?? DEFAULT_READ_LIMIT;
      let query = refs.log().orderBy('committedAt').orderBy(FieldPath.documentId()).limit(limit);
      const after = readOptions.cursor === undefined ? undefined : parseCursor(readOptions.cursor);
      if (after !== undefined) query = query.startAfter(after.time, after.path);
      const snap = await query.get().catch((err: unknown) => {
        throw storeError(err, 'readAll');
      });
      const settledBefore = snap.readTime.toMillis() - settleMs;
      const settled = snap.docs.filter(
        (d) => logPosition(d.data(), '').time.toMillis() <= settledBefore,
      );
      const last = settled.at(-1);
      if (last === undefined)
        return { events: [], cursor: readOptions.cursor ?? encodeCursor('f', '') };
      const { time, path } = logPosition(last.data(), last.ref.path);
      return {
        events: settled.map((d) => fromEventDoc(d.data())),
        cursor: encodeCursor('f', `${time.seconds}.${time.nanoseconds}|${path}`),
      };
    },

    get: original,
  };
}

/** The position in a cursor; undefined for the start of the log. */
function parseCursor(cursor: string): { time: Timestamp; path: string } | undefined {
  const raw = decodeCursorAs(cursor, 'f');
  if (raw === '') return undefined;
  const match = /^(\d+)\.(\d+)\|(.+)$/.exec(raw);
  if (match === null) {
    throw new SpacelogError('invalid-input', 'Log cursor is not one of this store.', {});
  }
  return { time: new Timestamp(Number(match[1]), Number(match[2])), path: match[3] ?? '' };
}

function appended(event: RecordedEvent): AppendResult {
  return { status: 'appended', event };
}

function duplicate(event: RecordedEvent): AppendResult {
  return { status: 'duplicate', event };
}
