/**
 * Opens the event log the functions write, for the page to read: the
 * Firestore store on the emulator, read through its own `readAll` (the
 * collection group in recorded order). The in-memory log lives inside the
 * functions' process and cannot be read from here, so the page's log panel
 * stays empty in that mode.
 */
import type { Config } from '../../shared/config.js';
import { createFirestoreEventStore } from '../../shared/eventlog/firestore-store.js';
import { createFirestore } from '../../shared/firestore.js';
import type { LogReader } from './event-log-feed.js';

/** An open reader; `store` is undefined when the log cannot be read from here. */
export interface EventLogReader {
  readonly store: LogReader | undefined;
  close(): Promise<void>;
}

/** Opens the reader for the functions' configuration. */
export function openEventLogReader(config: Config): EventLogReader {
  if (config.eventStore !== 'firestore' || config.firestoreEmulatorHost === undefined) {
    return { store: undefined, close: () => Promise.resolve() };
  }
  const db = createFirestore(config);
  const store = createFirestoreEventStore({ db, storeMessageText: config.storeMessageText });
  return { store, close: () => db.terminate() };
}
