/**
 * The contract of Spacelog's append-only event log. Two stores implement it
 * (Firestore for production, memory for unit tests and the local stack
 * without an emulator) and one contract suite tests both.
 */

/**
 * A stream groups the events one decision needs: a space, a user, an
 * incident, or the app itself. Written as `space:ID`, `user:ID`,
 * `incident:KEY` or `app`.
 */
export type StreamId = `space:${string}` | `user:${string}` | `incident:${string}` | 'app';

/** Who caused an event: a Chat user, the app itself, or a system (Scheduler, Monitoring). */
export type Actor =
  | { readonly kind: 'user'; readonly id: string }
  | { readonly kind: 'app' }
  | { readonly kind: 'system'; readonly id: string };

/** An event as a producer hands it to `append`. */
export interface NewEvent<TType extends string = string, TPayload = unknown> {
  /**
   * Deterministic key of the event's source (the Chat interaction, the
   * Pub/Sub message, the scheduled period, ...): a repeated delivery maps to
   * the same id, so appending it again records nothing.
   */
  readonly id: string;
  readonly stream: StreamId;
  /** Past-tense name from the catalogue, such as `AppAddedToSpace`. */
  readonly type: TType;
  /** When it happened at the source (ISO 8601). */
  readonly occurredAt: string;
  readonly causedBy: Actor;
  readonly payload: TPayload;
}

/** An event as the log holds it. */
export interface RecordedEvent<TType extends string = string, TPayload = unknown> extends NewEvent<
  TType,
  TPayload
> {
  /** 1-based position within its stream, without gaps. */
  readonly version: number;
  /** Schema version of `type` the payload was validated against. */
  readonly schemaVersion: number;
  /** When the log recorded it (ISO 8601). */
  readonly recordedAt: string;
}

/** Options of `append`. */
export interface AppendOptions {
  /**
   * The stream version the caller decided on (0 for an empty stream). When
   * the stream has moved on, `append` throws a `conflict` error and writes
   * nothing.
   */
  readonly expectedVersion?: number;
}

/** What `append` did. */
export type AppendResult =
  | { readonly status: 'appended'; readonly event: RecordedEvent }
  | { readonly status: 'duplicate'; readonly event: RecordedEvent };

/** An opaque position in the log's recorded order, for projections. */
export type Cursor = string;

/** One page of the whole log in recorded order. */
export interface LogPage {
  readonly events: readonly RecordedEvent[];
  /** Pass back to continue after the last event; unchanged when nothing was read. */
  readonly cursor: Cursor;
}

/** The event log. */
export interface EventStore {
  /** Validates and appends one event in one commit; idempotent by `id`. */
  append(event: NewEvent, options?: AppendOptions): Promise<AppendResult>;
  /** Events of one stream with version > `afterVersion`, oldest first, at most `limit`. */
  readStream(
    stream: StreamId,
    options?: { afterVersion?: number; limit?: number },
  ): Promise<readonly RecordedEvent[]>;
  /** The newest `limit` events of one stream, oldest first. */
  readStreamTail(stream: StreamId, limit: number): Promise<readonly RecordedEvent[]>;
  /** The current version of a stream (0 when empty). */
  streamVersion(stream: StreamId): Promise<number>;
  /** All streams in recorded order after `cursor` (undefined: from the start). */
  readAll(options?: { cursor?: Cursor; limit?: number }): Promise<LogPage>;
  /** Looks an event up by id. */
  get(id: string): Promise<RecordedEvent | undefined>;
}
