/**
 * The event log a configuration names, for the functions that use the
 * Firestore client library: this process's in-memory log
 * (`EVENT_STORE=memory`), or Firestore. `db` is called only for Firestore.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { createFirestoreEventStore } from './firestore-store.js';
import { processMemoryEventStore } from './memory-store.js';
import type { EventStore } from './types.js';

/** The in-memory log of this process, or the Firestore store over `db()`. */
export function eventStoreFromConfig(
  config: Pick<Config, 'eventStore' | 'storeMessageText'>,
  db: () => Firestore,
  clock: Clock,
): EventStore {
  const storeMessageText = config.storeMessageText;
  return config.eventStore === 'memory'
    ? processMemoryEventStore({ clock, storeMessageText })
    : createFirestoreEventStore({ db: db(), clock, storeMessageText });
}
