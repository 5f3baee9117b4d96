/**
 * The event log's public surface: the contract, the catalogue, stream ids,
 * both stores and the paging helpers. Import from here.
 */
export type * from './types.js';
export * from './catalogue.js';
export { TEXT_FIELDS, type EventDefinition, type StreamKind } from './define.js';
export * from './streams.js';
export { createFirestoreEventStore, type FirestoreEventStoreOptions } from './firestore-store.js';
export { logCollections, type LogCollections } from './firestore-layout.js';
export { validateNewEvent, MAX_EVENT_ID_LENGTH, type ValidEvent } from './validate.js';
export { DEFAULT_READ_LIMIT } from './store-common.js';
export {
  createMemoryEventStore,
  processMemoryEventStore,
  type MemoryEventStore,
  type MemoryEventStoreOptions,
} from './memory-store.js';
export { streamEvents, logPages } from './reading.js';
