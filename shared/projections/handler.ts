/**
 * What a projection is: which documents an event touches, and how one
 * document's view changes when the event is applied. Handlers are pure but
 * for `ctx.readStream`, which lets one re-read a range of its stream (see
 * activity.ts). The projector owns `applied` and the writes.
 */
import { safeId } from './views.js';
import type { RecordedEvent, StreamId } from '../eventlog/types.js';
import type { DocKey, ProjectionCollection, Views } from './views.js';

/** What a handler may ask of the projector while applying. */
export interface ApplyContext {
  /** Events of `stream` with afterVersion < version < beforeVersion, oldest first. */
  readStream(
    stream: StreamId,
    afterVersion: number,
    beforeVersion: number,
  ): Promise<readonly RecordedEvent[]>;
}

/** One projection: a collection and its reducer. */
export interface Handler<C extends ProjectionCollection = ProjectionCollection> {
  readonly collection: C;
  /** Ids of the documents of `collection` the event changes (none when it is of no interest). */
  ids(event: RecordedEvent): readonly string[];
  /** The document's next view; undefined when the event changes nothing in it. */
  apply(
    view: Views[C] | undefined,
    event: RecordedEvent,
    ctx: ApplyContext,
  ): Views[C] | undefined | Promise<Views[C] | undefined>;
}

/** Declares a handler, keeping its collection's view type. */
export function handler<C extends ProjectionCollection>(h: Handler<C>): Handler<C> {
  return h;
}

/** A copy of `value` without `keys` (to drop optional fields a view no longer has). */
export function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/** The keys an event touches under a handler. */
export function keysOf(h: Handler, event: RecordedEvent): DocKey[] {
  return h.ids(event).map((id) => ({ collection: h.collection, id }));
}

/** The id of a stream's checkpoint document. */
export function streamCheckpointId(stream: StreamId): string {
  return `stream~${safeId(stream)}`;
}

/** The id of the whole log's checkpoint document. */
export const LOG_CHECKPOINT_ID = 'log';

/** Every stream's checkpoint: the version its projections have applied. */
export const checkpoints = handler({
  collection: 'checkpoints',
  ids: (event) => [streamCheckpointId(event.stream)],
  apply: (_view, event) => ({ stream: event.stream, version: event.version }),
});
