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
 * (`claimed-append.ts` runs these rules, for this store and the REST one.)
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
import { claimedAppend, type AppendSteps } from './claimed-append.js';
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
  DEFAULT_READ_LIMIT,
  decodeCursorAs,
  encodeCursor,
  storeError,
} from './store-common.js';
import type { AppendResult, EventStore, StreamId } from './types.js';
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

  const steps: AppendSteps = {
    heads,
    clock,
    maxAttempts,
    head,
    exists: async (stream, version) => (await refs.event(stream, version).get()).exists,

    async original(eventId) {
      const claim = await refs.id(eventId).get();
      if (!claim.exists) return undefined;
      const stream = claim.get('stream') as StreamId;
      const snap = await refs.event(stream, claim.get('version') as number).get();
      const data = snap.data();
      if (data === undefined) throw new SpacelogError('internal', 'Event claim without its event.');
      return fromEventDoc(data);
    },

    async create(event) {
      const batch = db.batch();
      batch.create(
        refs.event(event.stream, event.version),
        toEventDoc(event, FieldValue.serverTimestamp()),
      );
      batch.create(refs.id(event.id), toIdDoc(event));
      try {
        await batch.commit();
        return true;
      } catch (err) {
        if (codeOf(err) === ALREADY_EXISTS) return false;
        throw storeError(err, 'append');
      }
    },
  };

  return {
    async append(event, appendOptions = {}): Promise<AppendResult> {
      const valid = validateNewEvent(event, { storeMessageText });
      return claimedAppend(steps, valid.event, appendOptions.expectedVersion, valid.schemaVersion);
    },

    ...streamReads(
      heads,
      head,
      async (stream, versions) =>
        (await db.getAll(...versions.map((v) => refs.event(stream, v)))).map((snap) => {
          const data = snap.data();
          return data === undefined ? undefined : fromEventDoc(data);
        }),
      DEFAULT_READ_LIMIT,
    ),

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

    get: (id) => steps.original(id),
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
