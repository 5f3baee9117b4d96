/**
 * Entry module of `chatEvents`, the HTTP function Google Chat calls with
 * interaction events. It only wires: configuration is read once, the
 * collaborators are built once per instance, and the handler is registered.
 * A configuration that cannot verify requests stops the instance here.
 */
import * as functions from '@google-cloud/functions-framework';
import { buildChatEventsFromConfig } from '../shared/app/chat-events-from-config.js';
import { loadProcessConfig } from '../shared/config.js';

functions.http('chatEvents', buildChatEventsFromConfig(loadProcessConfig()));
