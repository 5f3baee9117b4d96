/**
 * The in-memory event store: the same contract as the Firestore store, for
 * unit tests and for running Spacelog without an emulator. Appends to one
 * stream run one at a time, as the Firestore store's version documents make
 * them; appends to different streams interleave.
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
  const queues = new Map<StreamId, Promise<unknown>>();

  function serialised<T>(stream: StreamId, work: () => T): Promise<T> {
    const previous = queues.get(stream) ?? Promise.resolve();
    const next = previous.then(work, work);
    queues.set(
      stream,
      next.catch(() => undefined),
    );
    return next;
  }

  function appendNow(event: NewEvent, schemaVersion: number, options: AppendOptions): AppendResult {
    const existing = byId.get(event.id);
    if (existing !== undefined) return { status: 'duplicate', event: copy(existing) };

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
    const stored = Object.freeze(structuredClone(recorded));
    events.push(stored);
    streams.set(event.stream, events);
    byId.set(event.id, stored);
    log.push(stored);
    return { status: 'appended', event: copy(stored) };
  }

  return {
    get size() {
      return log.length;
    },

    async append(event, appendOptions = {}) {
      const valid = validateNewEvent(event, { storeMessageText });
      return serialised(valid.event.stream, () =>
        appendNow(valid.event, valid.schemaVersion, appendOptions),
      );
    },

    async readStream(stream, readOptions = {}) {
      await Promise.resolve();
      const after = readOptions.afterVersion ?? 0;
      const limit = readOptions.limit ?? DEFAULT_READ_LIMIT;
      return (streams.get(stream) ?? []).slice(after, after + limit).map(copy);
    },

    async readStreamTail(stream, limit) {
      await Promise.resolve();
      const events = streams.get(stream) ?? [];
      return events.slice(Math.max(0, events.length - limit)).map(copy);
    },

    async streamVersion(stream) {
      await Promise.resolve();
      return streams.get(stream)?.length ?? 0;
    },

    async readAll(readOptions = {}): Promise<LogPage> {
      await Promise.resolve();
      const from = readOptions.cursor === undefined ? 0 : position(readOptions.cursor);
      const limit = readOptions.limit ?? DEFAULT_READ_LIMIT;
      const events = log.slice(from, from + limit).map(copy);
      const cursor: Cursor =
        events.length === 0 && readOptions.cursor !== undefined
          ? readOptions.cursor
          : encodeCursor('m', String(from + events.length));
      return { events, cursor };
    },

    async get(id) {
      await Promise.resolve();
      const event = byId.get(id);
      return event === undefined ? undefined : copy(event);
    },
  };
}

function position(cursor: Cursor): number {
  const raw = decodeCursorAs(cursor, 'm');
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new SpacelogError('invalid-input', 'Log cursor is not one of this store.', {});
  }
  return n;
}

function copy(event: RecordedEvent): RecordedEvent {
  return structuredClone(event);
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
