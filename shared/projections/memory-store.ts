/**
 * The in-memory projection store: the same contract as the Firestore one,
 * for unit tests, for replay's fresh build, and for the local stack without
 * an emulator.
 */
import {
  emptySnapshot,
  keyString,
  type LoadedDoc,
  type ProjectionSnapshot,
  type ProjectionStore,
} from './store.js';
import {
  PROJECTION_COLLECTIONS,
  type DocKey,
  type ProjectionCollection,
  type ProjectionDoc,
} from './views.js';

interface Held {
  readonly data: ProjectionDoc;
  readonly revision: number;
}

/** Builds an empty in-memory projection store. */
export function createMemoryProjectionStore(): ProjectionStore {
  const docs = new Map<string, Held>();
  let revisions = 0;

  const all = <C extends ProjectionCollection>(collection: C) =>
    [...docs.entries()]
      .filter(([k]) => k.startsWith(`${collection}/`))
      .map(([k, held]) => ({
        id: k.slice(collection.length + 1),
        data: clone(held.data) as ProjectionDoc<C>,
      }));

  return {
    async load(keys: readonly DocKey[]) {
      await Promise.resolve();
      const out = new Map<string, LoadedDoc>();
      for (const key of keys) {
        const held = docs.get(keyString(key));
        if (held !== undefined)
          out.set(keyString(key), { data: clone(held.data), token: String(held.revision) });
      }
      return out;
    },

    async commit(writes) {
      await Promise.resolve();
      for (const w of writes) {
        const held = docs.get(keyString(w.key));
        if ((held === undefined ? undefined : String(held.revision)) !== w.loaded?.token)
          return false;
      }
      for (const w of writes)
        docs.set(keyString(w.key), { data: clone(w.data), revision: ++revisions });
      return true;
    },

    async get(collection, id) {
      await Promise.resolve();
      const held = docs.get(`${collection}/${id}`);
      return held === undefined
        ? undefined
        : (clone(held.data) as ProjectionDoc<typeof collection>);
    },

    async dueDigests(now, limit) {
      await Promise.resolve();
      const at = now.toISOString();
      return all('digestSchedules')
        .filter((d) => d.data.enabled && d.data.nextDueAt !== undefined && d.data.nextDueAt <= at)
        .sort((a, b) => (a.data.nextDueAt ?? '').localeCompare(b.data.nextDueAt ?? ''))
        .slice(0, limit);
    },

    async incidentsByAlertKey(alertKey) {
      await Promise.resolve();
      return all('incidents')
        .map((d) => d.data)
        .filter((d) => d.alertKey === alertKey)
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    },

    async membersOf(spaceName) {
      await Promise.resolve();
      return all('members')
        .map((d) => d.data)
        .filter((d) => d.spaceName === spaceName && d.present);
    },

    async spacesIn() {
      await Promise.resolve();
      return all('spaces')
        .map((d) => d.data)
        .filter((d) => d.inSpace);
    },

    async snapshot() {
      await Promise.resolve();
      const out = emptySnapshot() as Record<ProjectionCollection, Record<string, ProjectionDoc>>;
      for (const collection of PROJECTION_COLLECTIONS) {
        for (const { id, data } of all(collection)) out[collection][id] = data;
      }
      return out as ProjectionSnapshot;
    },

    async replaceAll(snapshot) {
      await Promise.resolve();
      docs.clear();
      for (const collection of PROJECTION_COLLECTIONS) {
        const held: Readonly<Record<string, ProjectionDoc>> = snapshot[collection];
        for (const [id, data] of Object.entries(held)) {
          docs.set(`${collection}/${id}`, { data: clone(data), revision: ++revisions });
        }
      }
    },
  };
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
