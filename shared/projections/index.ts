/**
 * The projections' public surface: views, the stores, the projector, replay.
 * Import from here.
 */
export * from './views.js';
export type {
  Identified,
  LoadedDoc,
  ProjectionSnapshot,
  ProjectionStore,
  ProjectionWrite,
} from './store.js';
export { createMemoryProjectionStore } from './memory-store.js';
export {
  createFirestoreProjectionStore,
  projectionCollectionName,
  type FirestoreProjectionStoreOptions,
} from './firestore-store.js';
export {
  createProjector,
  HANDLERS,
  type CatchUpResult,
  type Projector,
  type ProjectorOptions,
} from './projector.js';
export { replayProjections, type ReplayResult } from './replay.js';
export { LOG_CHECKPOINT_ID, streamCheckpointId } from './handler.js';
