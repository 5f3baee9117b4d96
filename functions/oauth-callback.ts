/**
 * `oauthCallback`: where Google sends the browser back after a user signs
 * in. Wires only: configuration, Firestore, the event log and the handler
 * from `shared/user-auth`.
 * What libraries print on `console` goes through the logger's redaction
 * (`shared/console-guard.ts`).
 */
import * as functions from '@google-cloud/functions-framework';
import { systemClock } from '../shared/clock.js';
import { loadProcessConfig } from '../shared/config.js';
import { captureConsole } from '../shared/console-guard.js';
import { createFirestoreEventStore } from '../shared/eventlog/firestore-store.js';
import { createMemoryEventStore } from '../shared/eventlog/index.js';
import { createFirestore } from '../shared/firestore.js';
import { createLogger } from '../shared/log.js';
import { userAuthFromConfig } from '../shared/user-auth/from-config.js';

const config = loadProcessConfig();
const logger = createLogger({ level: config.logLevel, base: { function: 'oauthCallback' } });
captureConsole(logger);
const db = createFirestore(config);
const events =
  config.eventStore === 'memory'
    ? createMemoryEventStore({ storeMessageText: config.storeMessageText })
    : createFirestoreEventStore({ db, storeMessageText: config.storeMessageText });

const userAuth = userAuthFromConfig(config, { db, events, clock: systemClock, logger });

functions.http('oauthCallback', userAuth.callback);
