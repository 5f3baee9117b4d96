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
import { Timestamp, type DocumentData, type Firestore } from '@google-cloud/firestore';
import { idDocId, streamDocId, versionDocId, type LogCollections } from './firestore-paths.js';
import type { StreamId } from './types.js';

export {
  fromEventDoc,
  idDocId,
  logCollections,
  streamDocId,
  toEventDoc,
  toIdDoc,
  versionDocId,
  type LogCollections,
} from './firestore-paths.js';

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

/** The log position of an event document: its commit time, then its path. */
export function logPosition(data: DocumentData, path: string): { time: Timestamp; path: string } {
  const time: unknown = data['committedAt'];
  return { time: time instanceof Timestamp ? time : Timestamp.fromMillis(0), path };
}
