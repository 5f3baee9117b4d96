/**
 * Where the Firestore store keeps the log, and how an event maps to its
 * documents. Two documents per event, both created once and never changed:
 *
 * - `eventStreams/{stream}/streamEvents/{version}`: the event itself, named by
 *   its zero-padded version within its stream (the collection group
 *   `streamEvents` is the whole log);
 * - `eventIds/{sha256(id)}`: the id claim, pointing at the event's stream and
 *   version. Hashing spreads these claims over the key space.
 */
import { createHash } from 'node:crypto';
import { Timestamp, type DocumentData, type Firestore } from '@google-cloud/firestore';
import type { Actor, RecordedEvent, StreamId } from './types.js';

/** Collection names, with an optional prefix so tests and benches can share a project. */
export interface LogCollections {
  /** Top-level collection of stream documents (never written; parents of the events). */
  readonly streams: string;
  /** Subcollection id of the events, and so the collection group of the whole log. */
  readonly events: string;
  /** Top-level collection of id claims. */
  readonly ids: string;
}

/** The collection names for a prefix ('' in production). */
export function logCollections(prefix = ''): LogCollections {
  return {
    streams: `${prefix}eventStreams`,
    events: `${prefix}streamEvents`,
    ids: `${prefix}eventIds`,
  };
}

/** Document id of a stream: its id, made safe for a path segment. */
export function streamDocId(stream: StreamId): string {
  return encodeURIComponent(stream).replaceAll('.', '%2E');
}

/** Document id of a version: zero-padded so ids sort as versions do. */
export function versionDocId(version: number): string {
  return String(version).padStart(12, '0');
}

/** Document id of an id claim: the SHA-256 of the event id, base64url. */
export function idDocId(eventId: string): string {
  return createHash('sha256').update(eventId, 'utf8').digest('base64url');
}

/** The paths of one store's documents. */
export function logRefs(db: Firestore, names: LogCollections) {
  return {
    event: (stream: StreamId, version: number) =>
      db
        .collection(names.streams)
        .doc(streamDocId(stream))
        .collection(names.events)
        .doc(versionDocId(version)),
    id: (eventId: string) => db.collection(names.ids).doc(idDocId(eventId)),
    log: () => db.collectionGroup(names.events),
  };
}

/** The stored form of an event. `committedAt` (a server timestamp) orders the log. */
export function toEventDoc(event: RecordedEvent, committedAt: unknown): DocumentData {
  return {
    id: event.id,
    stream: event.stream,
    type: event.type,
    version: event.version,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    committedAt,
    causedBy: event.causedBy,
    payload: event.payload,
  };
}

/** The stored form of an id claim. */
export function toIdDoc(event: RecordedEvent): DocumentData {
  return { id: event.id, stream: event.stream, version: event.version };
}

/** Reads an event back from its document's data. */
export function fromEventDoc(data: DocumentData): RecordedEvent {
  return {
    id: data['id'] as string,
    stream: data['stream'] as StreamId,
    type: data['type'] as string,
    version: data['version'] as number,
    schemaVersion: data['schemaVersion'] as number,
    occurredAt: data['occurredAt'] as string,
    recordedAt: data['recordedAt'] as string,
    causedBy: data['causedBy'] as Actor,
    payload: data['payload'] as unknown,
  };
}

/** The log position of an event document: its commit time, then its path. */
export function logPosition(data: DocumentData, path: string): { time: Timestamp; path: string } {
  const time: unknown = data['committedAt'];
  return { time: time instanceof Timestamp ? time : Timestamp.fromMillis(0), path };
}
