/**
 * The projector: catches the projections up with the log.
 *
 * Projections are updated AFTER the append's commit, not in it. In the commit
 * they would need a read-write transaction around every append (lock waits
 * under contention), would add writes to every append (past the two the log
 * needs) and would make every interaction write the same few space
 * documents. Instead, the function that appended calls
 * `catchUp({ streams: [stream] })`, which reads that stream from its
 * checkpoint and applies what is new, and a periodic `catchUp()` (and
 * replay) sweeps the whole log from its cursor. Projections therefore lag
 * the log by one call; decisions that must see the latest state read the
 * stream itself (and append with `expectedVersion`).
 *
 * Every document records in `applied` the last version of each stream it
 * has applied, and an event at or below it is skipped, so applying an event
 * twice (a retry, the sweep after a per-stream catch-up) changes nothing.
 * Writes carry the document's update time as a precondition; a projector
 * that loses a race reloads and goes on from where the winner left off.
 */
import { asKnown } from '../eventlog/catalogue.js';
import type { EventStore, RecordedEvent, StreamId } from '../eventlog/types.js';
import { activity } from './activity.js';
import { digestSchedules } from './digest-schedules.js';
import {
  checkpoints,
  keysOf,
  omit,
  LOG_CHECKPOINT_ID,
  streamCheckpointId,
  type ApplyContext,
  type Handler,
} from './handler.js';
import { grants, incidents } from './incidents.js';
import { members, spaces } from './spaces.js';
import { keyString, type ProjectionStore, type ProjectionWrite } from './store.js';
import { docKey, type DocKey, type ProjectionDoc, type Views } from './views.js';

/** Every projection, in the order they are applied. */
export const HANDLERS: readonly Handler[] = [
  checkpoints,
  spaces,
  members,
  activity,
  digestSchedules,
  incidents,
  grants,
] as readonly Handler[];

/** Options of the projector. */
export interface ProjectorOptions {
  readonly events: EventStore;
  readonly store: ProjectionStore;
  /** Events read per page and applied per commit. Default 200. */
  readonly pageSize?: number;
  /** Reloads after losing a race, per page. Default 5. */
  readonly maxAttempts?: number;
}

/** What a catch-up did. */
export interface CatchUpResult {
  /** Events read from the log. */
  readonly events: number;
  /** Projection documents written. */
  readonly writes: number;
}

/** Catches projections up with the log. */
export interface Projector {
  /**
   * With `streams`: applies what is new in those streams (what a function
   * calls after appending). Without: sweeps the whole log from its cursor.
   */
  catchUp(options?: { readonly streams?: readonly StreamId[] }): Promise<CatchUpResult>;
}

/** Builds a projector over an event store and a projection store. */
export function createProjector(options: ProjectorOptions): Projector {
  const { events, store } = options;
  const pageSize = options.pageSize ?? 200;
  const maxAttempts = options.maxAttempts ?? 5;
  const ctx: ApplyContext = {
    async readStream(stream, afterVersion, beforeVersion) {
      const out: RecordedEvent[] = [];
      let after = afterVersion;
      while (after + 1 < beforeVersion) {
        const page = await events.readStream(stream, {
          afterVersion: after,
          limit: Math.min(pageSize, beforeVersion - after - 1),
        });
        out.push(...page);
        const last = page.at(-1);
        if (last === undefined) break;
        after = last.version;
      }
      return out;
    },
  };

  /** One page, one commit; false when another projector wrote first. */
  async function applyPage(
    page: readonly RecordedEvent[],
    extra?: { key: DocKey<'checkpoints'>; data: Views['checkpoints'] },
  ): Promise<{ ok: boolean; writes: number }> {
    const keys = uniqueKeys([...page.flatMap(touched), ...(extra ? [extra.key] : [])]);
    const loaded = await store.load(keys);
    const working = new Map<string, ProjectionDoc | undefined>(
      keys.map((k) => [keyString(k), loaded.get(keyString(k))?.data]),
    );
    const dirty = new Set<string>();

    for (const event of page) {
      for (const h of HANDLERS) {
        for (const key of keysOf(h, event)) {
          const id = keyString(key);
          const doc = working.get(id);
          if (doc !== undefined && (doc.applied[event.stream] ?? 0) >= event.version) continue;
          const view = await h.apply(doc === undefined ? undefined : viewOf(doc), event, ctx);
          if (view === undefined && doc === undefined) continue;
          const applied = { ...doc?.applied, [event.stream]: event.version };
          working.set(id, normalise({ ...(view ?? viewOf(doc as ProjectionDoc)), applied }));
          dirty.add(id);
        }
      }
    }
    if (extra !== undefined) {
      const id = keyString(extra.key);
      working.set(id, normalise({ ...extra.data, applied: {} }));
      dirty.add(id);
    }

    const writes = keys
      .filter((k) => dirty.has(keyString(k)))
      .map((k): ProjectionWrite => ({
        key: k,
        data: working.get(keyString(k)) as ProjectionDoc,
        loaded: loaded.get(keyString(k)),
      }));
    const ok = writes.length === 0 || (await store.commit(writes));
    return { ok, writes: ok ? writes.length : 0 };
  }

  async function catchUpStream(stream: StreamId): Promise<CatchUpResult> {
    let read = 0;
    let written = 0;
    for (let attempt = 0; attempt < maxAttempts;) {
      const checkpoint = await store.get('checkpoints', streamCheckpointId(stream));
      const page = await events.readStream(stream, {
        afterVersion: checkpoint?.version ?? 0,
        limit: pageSize,
      });
      if (page.length === 0) break;
      const { ok, writes } = await applyPage(page);
      if (!ok) {
        attempt++;
        continue;
      }
      read += page.length;
      written += writes;
      if (page.length < pageSize) break;
    }
    return { events: read, writes: written };
  }

  async function catchUpLog(): Promise<CatchUpResult> {
    let read = 0;
    let written = 0;
    for (let attempt = 0; attempt < maxAttempts;) {
      const checkpoint = await store.get('checkpoints', LOG_CHECKPOINT_ID);
      const cursor = checkpoint?.cursor;
      const page = await events.readAll({
        ...(cursor === undefined ? {} : { cursor }),
        limit: pageSize,
      });
      if (page.events.length === 0) break;
      const key = docKey('checkpoints', LOG_CHECKPOINT_ID);
      const { ok, writes } = await applyPage(page.events, { key, data: { cursor: page.cursor } });
      if (!ok) {
        attempt++;
        continue;
      }
      read += page.events.length;
      written += writes;
      if (page.events.length < pageSize) break;
    }
    return { events: read, writes: written };
  }

  return {
    async catchUp(catchUpOptions = {}) {
      if (catchUpOptions.streams === undefined) return catchUpLog();
      let read = 0;
      let written = 0;
      for (const stream of new Set(catchUpOptions.streams)) {
        const r = await catchUpStream(stream);
        read += r.events;
        written += r.writes;
      }
      return { events: read, writes: written };
    },
  };
}

function touched(event: RecordedEvent): DocKey[] {
  return asKnown(event) === undefined
    ? keysOf(checkpoints, event)
    : HANDLERS.flatMap((h) => keysOf(h, event));
}

function uniqueKeys(keys: readonly DocKey[]): DocKey[] {
  const seen = new Map<string, DocKey>();
  for (const k of keys) seen.set(keyString(k), k);
  return [...seen.values()];
}

function viewOf(doc: ProjectionDoc): Views[keyof Views] {
  return omit(doc, 'applied');
}

// Both stores must hold the same data: no undefined fields, plain JSON values.
function normalise(doc: object): ProjectionDoc {
  return JSON.parse(JSON.stringify(doc)) as ProjectionDoc;
}
