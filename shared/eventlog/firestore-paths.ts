/**
 * The Firestore store's names and document forms, without the client
 * library: collection names, document ids, and how an event maps to its
 * documents (see `firestore-layout.ts` for the layout). Both the client
 * library store and the REST store (`firestore-rest-store.ts`) use these,
 * so they write the same documents.
 */
import { createHash } from 'node:crypto';
import type { Actor, RecordedEvent, StreamId } from './types.js';

/** A document's fields as stored. */
export type DocumentFields = Record<string, unknown>;

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

/** The stored form of an event. `committedAt` (a server timestamp) orders the log. */
export function toEventDoc(event: RecordedEvent, committedAt: unknown): DocumentFields {
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
export function toIdDoc(event: RecordedEvent): DocumentFields {
  return { id: event.id, stream: event.stream, version: event.version };
}

/** Reads an event back from its document's data. */
export function fromEventDoc(data: DocumentFields): RecordedEvent {
  return {
    id: data['id'] as string,
    stream: data['stream'] as StreamId,
    type: data['type'] as string,
    version: data['version'] as number,
    schemaVersion: data['schemaVersion'] as number,
    occurredAt: data['occurredAt'] as string,
    recordedAt: data['recordedAt'] as string,
    causedBy: data['causedBy'] as Actor,
    payload: data['payload'],
  };
}
