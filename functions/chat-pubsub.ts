/**
 * Entry module of `chatPubsub`, the CloudEvent function behind Spacelog's
 * Pub/Sub topics: Chat interaction events, Workspace Events, alerts and
 * Spacelog's own commands (incidents, digest jobs). It only wires:
 * configuration is read once, the collaborators are built once per instance,
 * and the handler is registered.
 * What libraries print on `console` goes through the logger's redaction
 * (`shared/console-guard.ts`).
 */
import * as functions from '@google-cloud/functions-framework';
import { loadProcessConfig } from '../shared/config.js';
import { captureConsole } from '../shared/console-guard.js';
import { createLogger } from '../shared/log.js';
import { buildChatPubsubFromConfig } from '../shared/pubsub-handler/chat-pubsub-from-config.js';

const config = loadProcessConfig();
captureConsole(createLogger({ level: config.logLevel, base: { function: 'chatPubsub' } }));
functions.cloudEvent('chatPubsub', buildChatPubsubFromConfig(config));
