/**
 * Entry module of `chatEvents`, the HTTP function Google Chat calls with
 * interaction events. It only wires: configuration is read once, the
 * collaborators are built once per instance, and the handler is registered.
 * A configuration that cannot verify requests stops the instance here.
 * The certificates the first request needs start downloading at once, while
 * the functions framework starts listening.
 * What libraries print on `console` goes through the logger's redaction
 * (`shared/console-guard.ts`).
 */
import * as functions from '@google-cloud/functions-framework';
import { buildChatEventsFromConfig } from '../shared/app/chat-events-from-config.js';
import { loadProcessConfig } from '../shared/config.js';
import { captureConsole } from '../shared/console-guard.js';
import { createLogger } from '../shared/log.js';
import { prefetchCertificates } from '../shared/verify/prefetch.js';

const config = loadProcessConfig();
captureConsole(createLogger({ level: config.logLevel, base: { function: 'chatEvents' } }));
const fetchCerts = prefetchCertificates(config);
functions.http(
  'chatEvents',
  buildChatEventsFromConfig(config, fetchCerts === undefined ? {} : { fetchCerts }),
);
