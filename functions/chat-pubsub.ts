/**
 * Entry module of `chatPubsub`, the CloudEvent function behind Spacelog's
 * Pub/Sub topics: Chat interaction events, Workspace Events, alerts and
 * Spacelog's own commands (incidents, digest jobs). It only wires:
 * configuration is read once, the collaborators are built once per instance,
 * and the handler is registered.
 */
import * as functions from '@google-cloud/functions-framework';
import { loadProcessConfig } from '../shared/config.js';
import { buildChatPubsubFromConfig } from '../shared/pubsub-handler/chat-pubsub-from-config.js';

functions.cloudEvent('chatPubsub', buildChatPubsubFromConfig(loadProcessConfig()));
