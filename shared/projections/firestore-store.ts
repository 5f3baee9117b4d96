/**
 * The Firestore projection store. One top-level collection per projection
 * (`projSpaces`, `projMembers`, `projActivity`, `projDigestSchedules`,
 * `projIncidents`, `projGrants`, `projCheckpoints`), documents holding the
 * view's fields at top level (so they can be queried and indexed) plus
 * `applied`. A write presents the document's update time as a precondition
 * (`create()` when it did not exist), so concurrent projectors never move a
 * document backwards and never wait on a lock.
 */
import {
  FieldPath,
  FieldValue,
  Timestamp,
  type DocumentData,
  type DocumentReference,
  type Firestore,
  type WriteBatch,
} from '@google-cloud/firestore';
import { SpacelogError } from '../errors.js';
import {
  emptySnapshot,
  keyString,
  type LoadedDoc,
  type ProjectionSnapshot,
  type ProjectionStore,
  type ProjectionWrite,
} from './store.js';
import {
  PROJECTION_COLLECTIONS,
  type DocKey,
  type ProjectionCollection,
  type ProjectionDoc,
} from './views.js';

/** Options of the Firestore projection store. */
export interface FirestoreProjectionStoreOptions {
  readonly db: Firestore;
  /** Prefix of the collection names, for tests and benches sharing a project. */
  readonly collectionPrefix?: string;
}

/** The Firestore collection name of a projection. */
export function projectionCollectionName(collection: ProjectionCollection, prefix = ''): string {
  return `${prefix}proj${collection.charAt(0).toUpperCase()}${collection.slice(1)}`;
}

const BATCH_WRITES = 400;
const PAGE = 500;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;
const NOT_FOUND = 5;

/** Builds the Firestore projection store. */
export function createFirestoreProjectionStore(
  options: FirestoreProjectionStoreOptions,
): ProjectionStore {
  const { db } = options;
  const col = (c: ProjectionCollection) =>
    db.collection(projectionCollectionName(c, options.collectionPrefix));
  const ref = (key: DocKey) => col(key.collection).doc(key.id);

  async function listAll<C extends ProjectionCollection>(collection: C) {
    const out: { id: string; data: ProjectionDoc<C> }[] = [];
    let query = col(collection).orderBy(FieldPath.documentId()).limit(PAGE);
    for (;;) {
      const snap = await query.get();
      for (const d of snap.docs) out.push({ id: d.id, data: d.data() as ProjectionDoc<C> });
      const last = snap.docs.at(-1);
      if (last === undefined || snap.size < PAGE) return out;
      query = col(collection).orderBy(FieldPath.documentId()).startAfter(last.id).limit(PAGE);
    }
  }

  return {
    async load(keys) {
      const out = new Map<string, LoadedDoc>();
      if (keys.length === 0) return out;
      const snaps = await db.getAll(...keys.map(ref));
      snaps.forEach((snap, i) => {
        const key = keys[i];
        if (key === undefined || !snap.exists || snap.updateTime === undefined) return;
        out.set(keyString(key), {
          data: snap.data() as ProjectionDoc,
          token: tokenOf(snap.updateTime),
        });
      });
      return out;
    },

    async commit(writes) {
      for (let i = 0; i < writes.length; i += BATCH_WRITES) {
        const batch = db.batch();
        for (const w of writes.slice(i, i + BATCH_WRITES)) addWrite(batch, ref(w.key), w);
        try {
          await batch.commit();
        } catch (err) {
          const code = (err as { code?: unknown }).code;
          if (code === ALREADY_EXISTS || code === FAILED_PRECONDITION || code === NOT_FOUND)
            return false;
          throw new SpacelogError('unavailable', 'Projection write failed.', {}, { cause: err });
        }
      }
      return true;
    },

    async get(collection, id) {
      const snap = await col(collection).doc(id).get();
      return snap.exists ? (snap.data() as ProjectionDoc<typeof collection>) : undefined;
    },

    async dueDigests(now, limit) {
      const snap = await col('digestSchedules')
        .where('enabled', '==', true)
        .where('nextDueAt', '<=', now.toISOString())
        .orderBy('nextDueAt')
        .limit(limit)
        .get();
      return snap.docs.map((d) => ({
        id: d.id,
        data: d.data() as ProjectionDoc<'digestSchedules'>,
      }));
    },

    async incidentsByAlertKey(alertKey) {
      const snap = await col('incidents').where('alertKey', '==', alertKey).get();
      return snap.docs
        .map((d) => d.data() as ProjectionDoc<'incidents'>)
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    },

    async membersOf(spaceName) {
      const snap = await col('members')
        .where('spaceName', '==', spaceName)
        .where('present', '==', true)
        .get();
      return snap.docs.map((d) => d.data() as ProjectionDoc<'members'>);
    },

    async spacesIn() {
      const snap = await col('spaces').where('inSpace', '==', true).get();
      return snap.docs.map((d) => d.data() as ProjectionDoc<'spaces'>);
    },

    async snapshot() {
      const out = emptySnapshot() as Record<ProjectionCollection, Record<string, ProjectionDoc>>;
      for (const collection of PROJECTION_COLLECTIONS) {
        for (const { id, data } of await listAll(collection)) out[collection][id] = data;
      }
      return out as ProjectionSnapshot;
    },

    async replaceAll(snapshot) {
      const writes: ((batch: WriteBatch) => void)[] = [];
      for (const collection of PROJECTION_COLLECTIONS) {
        const wanted = snapshot[collection];
        for (const { id } of await listAll(collection)) {
          if (!Object.hasOwn(wanted, id)) writes.push((b) => b.delete(col(collection).doc(id)));
        }
        for (const [id, data] of Object.entries(wanted)) {
          writes.push((b) => b.set(col(collection).doc(id), data as DocumentData));
        }
      }
      for (let i = 0; i < writes.length; i += BATCH_WRITES) {
        const batch = db.batch();
        for (const w of writes.slice(i, i + BATCH_WRITES)) w(batch);
        await batch.commit();
      }
    },
  };
}

function addWrite(batch: WriteBatch, ref: DocumentReference, write: ProjectionWrite): void {
  const data = write.data as unknown as DocumentData;
  if (write.loaded === undefined) {
    batch.create(ref, data);
    return;
  }
  // `update` keeps fields it is not given, so fields the view dropped are deleted explicitly.
  const fields: DocumentData = { ...data };
  for (const name of Object.keys(write.loaded.data)) {
    if (!(name in fields)) fields[name] = FieldValue.delete();
  }
  batch.update(ref, fields, { lastUpdateTime: fromToken(write.loaded.token) });
}

function tokenOf(time: Timestamp): string {
  return `${time.seconds}.${String(time.nanoseconds).padStart(9, '0')}`;
}

function fromToken(token: string): Timestamp {
  const [seconds, nanos] = token.split('.');
  return new Timestamp(Number(seconds), Number(nanos));
}
