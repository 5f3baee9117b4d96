/**
 * `npm run replay`: rebuilds every projection from the whole event log and
 * prints what it read and wrote. `--dry-run` rebuilds in memory and writes
 * nothing. Uses the same settings as the functions (EVENT_STORE must be
 * `firestore`; FIRESTORE_EMULATOR_HOST points it at an emulator).
 */
import { loadConfig } from '../shared/config.js';
import { createFirestoreEventStore } from '../shared/eventlog/index.js';
import { createFirestore } from '../shared/firestore.js';
import {
  createFirestoreProjectionStore,
  createMemoryProjectionStore,
  replayProjections,
} from '../shared/projections/index.js';

const config = loadConfig(process.env);
const dryRun = process.argv.includes('--dry-run');
if (config.eventStore !== 'firestore') {
  console.error('replay: EVENT_STORE is memory; an in-memory log lives only in its own process.');
  process.exit(2);
}

const db = createFirestore(config);
const events = createFirestoreEventStore({ db, storeMessageText: config.storeMessageText });
const target = dryRun ? createMemoryProjectionStore() : createFirestoreProjectionStore({ db });
const started = Date.now();
const result = await replayProjections({ events, target });

console.log(
  `replay: ${result.events} events read in ${Date.now() - started} ms${dryRun ? ' (dry run, nothing written)' : ''}`,
);
for (const [collection, count] of Object.entries(result.documents)) {
  console.log(`  ${collection.padEnd(16)} ${count}`);
}
await db.terminate();
