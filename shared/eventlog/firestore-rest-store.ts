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
import { claimedAppend, type AppendSteps } from './claimed-append.js';
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
  DEFAULT_READ_LIMIT,
  decodeCursorAs,
  encodeCursor,
  storeError,
} from './store-common.js';
import type { EventStore, StreamId } from './types.js';
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

  const steps: AppendSteps = {
    heads,
    clock,
    maxAttempts,
    head,
    exists: async (stream, version) =>
      (await read([eventPath(stream, version)], ['version']))[0] !== undefined,

    async original(eventId) {
      const [claim] = await read([idPath(eventId)]);
      if (claim === undefined) return undefined;
      const stream = claim['stream'] as StreamId;
      const [data] = await read([eventPath(stream, claim['version'] as number)]);
      if (data === undefined) throw new SpacelogError('internal', 'Event claim without its event.');
      return fromEventDoc(data);
    },

    async create(event) {
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
        return true;
      } catch (err) {
        if (codeOf(err) === ALREADY_EXISTS) return false;
        throw storeError(err, 'append');
      }
    },
  };

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
      return claimedAppend(steps, valid.event, appendOptions.expectedVersion, valid.schemaVersion);
    },

    ...streamReads(
      heads,
      head,
      async (stream, versions) =>
        (await read(versions.map((v) => eventPath(stream, v)))).map((data) =>
          data === undefined ? undefined : fromEventDoc(data),
        ),
      DEFAULT_READ_LIMIT,
    ),

    streamVersion: head,
    readAll,
    get: (id) => steps.original(id),
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
