/**
 * The in-memory event store: the same contract as the Firestore store, for
 * unit tests and for running Spacelog without an emulator. Every call does
 * its work when made and answers with a settled promise, so appends are
 * ordered as they were called and a read sees every append called before
 * it; one promise per call keeps the request path light. An event is
 * copied once, as it is appended, and frozen whole: every reader gets that
 * same object, which no one can change.
 */
import { systemClock, type Clock } from '../clock.js';
import { SpacelogError } from '../errors.js';
import { conflict, DEFAULT_READ_LIMIT, decodeCursorAs, encodeCursor } from './store-common.js';
import type {
  AppendOptions,
  AppendResult,
  Cursor,
  EventStore,
  LogPage,
  NewEvent,
  RecordedEvent,
  StreamId,
} from './types.js';
import { validateNewEvent } from './validate.js';

/** Options of the in-memory store. */
export interface MemoryEventStoreOptions {
  /** Stamps `recordedAt`. Default: the system clock. */
  readonly clock?: Clock;
  /** Keep message text (STORE_MESSAGE_TEXT). Default false: text fields are dropped. */
  readonly storeMessageText?: boolean;
}

/** The in-memory store, with `size` for tests. */
export interface MemoryEventStore extends EventStore {
  /** How many events the log holds. */
  readonly size: number;
}

/** Builds an empty in-memory event store. */
export function createMemoryEventStore(options: MemoryEventStoreOptions = {}): MemoryEventStore {
  const clock = options.clock ?? systemClock;
  const storeMessageText = options.storeMessageText ?? false;
  const log: RecordedEvent[] = [];
  const byId = new Map<string, RecordedEvent>();
  const streams = new Map<StreamId, RecordedEvent[]>();
  function appendNow(event: NewEvent, schemaVersion: number, options: AppendOptions): AppendResult {
    const existing = byId.get(event.id);
    if (existing !== undefined) return { status: 'duplicate', event: existing };

    const events = streams.get(event.stream) ?? [];
    if (options.expectedVersion !== undefined && options.expectedVersion !== events.length) {
      throw conflict(event, options.expectedVersion, events.length);
    }
    const recorded: RecordedEvent = {
      ...event,
      version: events.length + 1,
      schemaVersion,
      recordedAt: clock.now().toISOString(),
    };
    const stored = frozenCopy(recorded);
    events.push(stored);
    streams.set(event.stream, events);
    byId.set(event.id, stored);
    log.push(stored);
    return { status: 'appended', event: stored };
  }

  return {
    get size() {
      return log.length;
    },

    append(event, appendOptions = {}) {
      return settled(() => {
        const valid = validateNewEvent(event, { storeMessageText });
        return appendNow(valid.event, valid.schemaVersion, appendOptions);
      });
    },

    readStream(stream, readOptions = {}) {
      const after = readOptions.afterVersion ?? 0;
      const limit = readOptions.limit ?? DEFAULT_READ_LIMIT;
      return Promise.resolve((streams.get(stream) ?? []).slice(after, after + limit));
    },

    readStreamTail(stream, limit) {
      const events = streams.get(stream) ?? [];
      return Promise.resolve(events.slice(Math.max(0, events.length - limit)));
    },

    streamVersion(stream) {
      return Promise.resolve(streams.get(stream)?.length ?? 0);
    },

    readAll(readOptions = {}) {
      return settled((): LogPage => {
        const from = readOptions.cursor === undefined ? 0 : position(readOptions.cursor);
        const limit = readOptions.limit ?? DEFAULT_READ_LIMIT;
        const events = log.slice(from, from + limit);
        const cursor: Cursor =
          events.length === 0 && readOptions.cursor !== undefined
            ? readOptions.cursor
            : encodeCursor('m', String(from + events.length));
        return { events, cursor };
      });
    },

    get(id) {
      return Promise.resolve(byId.get(id));
    },
  };
}

/** The outcome of `work`, done now, as a settled promise (a throw rejects it). */
function settled<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

function position(cursor: Cursor): number {
  const raw = decodeCursorAs(cursor, 'm');
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new SpacelogError('invalid-input', 'Log cursor is not one of this store.', {});
  }
  return n;
}

/**
 * A frozen copy of an event and everything in it, so readers can share it
 * but not change it. Events are JSON data (the catalogue's schemas admit
 * nothing else), which a plain walk copies faster than `structuredClone`.
 */
function frozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = frozenCopy(inner);
  return Object.freeze(out) as T;
}

let processStore: MemoryEventStore | undefined;

/**
 * The in-memory log of this process, made on first use: with
 * `EVENT_STORE=memory`, every function served by one process (as `npm start
 * --in-memory` serves them) reads and writes the same log, as deployed
 * functions share one Firestore database. The first caller's options hold.
 */
export function processMemoryEventStore(options: MemoryEventStoreOptions = {}): MemoryEventStore {
  processStore ??= createMemoryEventStore(options);
  return processStore;
}
