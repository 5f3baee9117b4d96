/**
 * The Firestore event store over Firestore's REST API (`firestore-rest.ts`),
 * for `chatEvents`, whose cold start the client library would dominate. Same
 * layout, same documents and the same rules as `firestore-store.ts` (read
 * its header for why they hold under concurrency): an append is one commit
 * that creates the event and its id claim, both with "must not exist"; a
 * stream's head is found by reading version documents by key; the log is
 * the collection group in `committedAt` order. The contract suite runs on
 * both, and each reads what the other wrote.
 */
import { systemClock, type Clock } from '../clock.js';
import { SpacelogError } from '../errors.js';
import { RestTimestamp, type FirestoreRest, type RestFields } from '../firestore-rest.js';
import { findHead, HeadCache, streamReads } from './firestore-head.js';
import {
  fromEventDoc,
  idDocId,
  logCollections,
  streamDocId,
  toEventDoc,
  toIdDoc,
  versionDocId,
} from './firestore-paths.js';
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

/** Options of the REST store; as `FirestoreEventStoreOptions`, with the REST client. */
export interface FirestoreRestEventStoreOptions {
  readonly rest: FirestoreRest;
  readonly clock?: Clock;
  readonly storeMessageText?: boolean;
  readonly collectionPrefix?: string;
  readonly maxAttempts?: number;
  readonly settleMs?: number;
}

const ALREADY_EXISTS = 6;
const GET_ALL_CHUNK = 100;
/**
 * First round of a head lookup on a stream this instance has not seen: every
 * version up to 16, then powers of two, in one read (of the `version` field
 * only). The head of a stream of under 16 events is then known in one round
 * trip, a longer one's in a round or two fewer than by galloping from 1.
 */
const COLD_GALLOP = [
  ...Array.from({ length: 16 }, (_, i) => i + 1),
  ...Array.from({ length: 16 }, (_, i) => 2 ** (i + 5)),
];

/** Builds the REST event store. */
export function createFirestoreRestEventStore(options: FirestoreRestEventStoreOptions): EventStore {
  const { rest } = options;
  const clock = options.clock ?? systemClock;
  const storeMessageText = options.storeMessageText ?? false;
  const maxAttempts = options.maxAttempts ?? 100;
  const settleMs = options.settleMs ?? 1000;
  const names = logCollections(options.collectionPrefix);
  const heads = new HeadCache();
  const eventPath = (stream: StreamId, version: number) =>
    `${names.streams}/${streamDocId(stream)}/${names.events}/${versionDocId(version)}`;
  const idPath = (eventId: string) => `${names.ids}/${idDocId(eventId)}`;

  async function head(stream: StreamId): Promise<number> {
    const exists = async (versions: readonly number[]) => {
      const docs = await read(
        versions.map((v) => eventPath(stream, v)),
        ['version'],
      );
      return docs.map((d) => d !== undefined);
    };
    const from = heads.get(stream);
    const found = await findHead(exists, from, from === 0 ? COLD_GALLOP : undefined);
    heads.saw(stream, found);
    return found;
  }

  async function read(paths: readonly string[], mask?: readonly string[]) {
    return rest.getAll(paths, mask).catch((err: unknown) => {
      throw storeError(err, 'read');
    });
  }

  async function versionExists(stream: StreamId, version: number): Promise<boolean> {
    if (version === 0 || heads.get(stream) >= version) return true;
    const [doc] = await read([eventPath(stream, version)], ['version']);
    if (doc !== undefined) heads.saw(stream, version);
    return doc !== undefined;
  }

  async function original(eventId: string): Promise<RecordedEvent | undefined> {
    const [claim] = await read([idPath(eventId)]);
    if (claim === undefined) return undefined;
    const [data] = await read([eventPath(claim['stream'] as StreamId, claim['version'] as number)]);
    if (data === undefined) throw new SpacelogError('internal', 'Event claim without its event.');
    return fromEventDoc(data);
  }

  /** One attempt: true when written, false when a document already existed. */
  async function tryCreate(event: RecordedEvent): Promise<boolean> {
    try {
      await rest.commit([
        {
          path: eventPath(event.stream, event.version),
          fields: toEventDoc(event, undefined),
          mustNotExist: true,
          serverTimestamps: ['committedAt'],
        },
        { path: idPath(event.id), fields: toIdDoc(event), mustNotExist: true },
      ]);
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
  ): Promise<AppendResult> {
    const record = (version: number): RecordedEvent => ({
      ...event,
      version,
      schemaVersion,
      recordedAt: clock.now().toISOString(),
    });

    if (expectedVersion !== undefined) {
      const existing = await original(event.id);
      if (existing !== undefined) return { status: 'duplicate', event: existing };
      if (!(await versionExists(event.stream, expectedVersion))) {
        throw conflict(event, expectedVersion);
      }
      const recorded = record(expectedVersion + 1);
      if (await tryCreate(recorded)) return { status: 'appended', event: recorded };
      const raced = await original(event.id);
      if (raced !== undefined) return { status: 'duplicate', event: raced };
      throw conflict(event, expectedVersion);
    }

    let version =
      heads.get(event.stream) === 0 ? await head(event.stream) : heads.get(event.stream);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const recorded = record(version + 1);
      if (await tryCreate(recorded)) return { status: 'appended', event: recorded };
      const existing = await original(event.id);
      if (existing !== undefined) return { status: 'duplicate', event: existing };
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
      const docs = await read(Array.from({ length: size }, (_, i) => eventPath(stream, start + i)));
      for (const data of docs) {
        if (data === undefined) return finish(stream, out);
        out.push(fromEventDoc(data));
      }
    }
    return finish(stream, out);
  }

  function finish(stream: StreamId, out: RecordedEvent[]): RecordedEvent[] {
    const last = out.at(-1);
    if (last !== undefined) heads.saw(stream, last.version);
    return out;
  }

  async function readAll(readOptions: { cursor?: string; limit?: number } = {}) {
    const limit = readOptions.limit ?? DEFAULT_READ_LIMIT;
    const after = readOptions.cursor === undefined ? undefined : parseCursor(readOptions.cursor);
    const query = {
      from: [{ collectionId: names.events, allDescendants: true }],
      orderBy: [
        { field: { fieldPath: 'committedAt' }, direction: 'ASCENDING' },
        { field: { fieldPath: '__name__' }, direction: 'ASCENDING' },
      ],
      limit,
      ...(after === undefined
        ? {}
        : {
            startAt: {
              before: false,
              values: [{ timestampValue: after.time }, { referenceValue: after.name }],
            },
          }),
    };
    const { documents, readTime } = await rest.runQuery(query).catch((err: unknown) => {
      throw storeError(err, 'readAll');
    });
    const settledBefore = millis(readTime) - settleMs;
    const settled = documents.filter((d) => millis(committedAt(d.fields)) <= settledBefore);
    const last = settled.at(-1);
    if (last === undefined) {
      return { events: [], cursor: readOptions.cursor ?? encodeCursor('f', '') };
    }
    const { seconds, nanoseconds } = committedAt(last.fields).parts();
    return {
      events: settled.map((d) => fromEventDoc(d.fields)),
      cursor: encodeCursor('f', `${seconds}.${nanoseconds}|${last.path}`),
    };
  }

  /** Cursor as the client-library store writes it: `seconds.nanos|path`. */
  function parseCursor(cursor: string): { time: string; name: string } | undefined {
    const raw = decodeCursorAs(cursor, 'f');
    if (raw === '') return undefined;
    const match = /^(\d+)\.(\d+)\|(.+)$/.exec(raw);
    if (match === null) {
      throw new SpacelogError('invalid-input', 'Log cursor is not one of this store.', {});
    }
    const date = new Date(Number(match[1]) * 1000).toISOString().replace(/\.\d+Z$/, '');
    const time = `${date}.${(match[2] ?? '0').padStart(9, '0')}Z`;
    return { time, name: rest.documentName(match[3] ?? '') };
  }

  return {
    async append(event, appendOptions = {}) {
      const valid = validateNewEvent(event, { storeMessageText });
      return append(valid.event, appendOptions.expectedVersion, valid.schemaVersion);
    },

    ...streamReads(heads, head, readVersions, DEFAULT_READ_LIMIT),

    streamVersion: head,
    readAll,
    get: original,
  };
}

function committedAt(fields: RestFields): RestTimestamp {
  const value = fields['committedAt'];
  return value instanceof RestTimestamp ? value : new RestTimestamp('1970-01-01T00:00:00Z');
}

function millis(t: RestTimestamp): number {
  const { seconds, nanoseconds } = t.parts();
  return seconds * 1000 + Math.floor(nanoseconds / 1e6);
}
