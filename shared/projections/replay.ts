/**
 * Replay: rebuilds every projection from the whole log. The log is folded
 * into a fresh in-memory projection store by the same projector that runs
 * incrementally, then the target store is overwritten with the result
 * (documents the rebuild lacks are deleted). The rebuild lives in memory,
 * which suits logs of up to some hundred thousand events; a larger log
 * would rebuild into fresh Firestore collections and swap instead.
 */
import type { EventStore } from '../eventlog/types.js';
import { createMemoryProjectionStore } from './memory-store.js';
import { createProjector } from './projector.js';
import type { ProjectionStore } from './store.js';
import { PROJECTION_COLLECTIONS, type ProjectionCollection } from './views.js';

/** What a replay read and wrote. */
export interface ReplayResult {
  readonly events: number;
  /** Documents per projection collection after the replay. */
  readonly documents: Readonly<Record<ProjectionCollection, number>>;
}

/** Rebuilds `target` from every event in `events`. */
export async function replayProjections(options: {
  readonly events: EventStore;
  readonly target: ProjectionStore;
  readonly pageSize?: number;
}): Promise<ReplayResult> {
  const fresh = createMemoryProjectionStore();
  const projector = createProjector({
    events: options.events,
    store: fresh,
    pageSize: options.pageSize ?? 500,
  });
  let events = 0;
  for (;;) {
    const { events: read } = await projector.catchUp();
    events += read;
    if (read === 0) break;
  }
  const snapshot = await fresh.snapshot();
  await options.target.replaceAll(snapshot);
  const documents = Object.fromEntries(
    PROJECTION_COLLECTIONS.map((c) => [c, Object.keys(snapshot[c]).length]),
  ) as Record<ProjectionCollection, number>;
  return { events, documents };
}
