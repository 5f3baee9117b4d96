/**
 * The Pub/Sub transport: decoding a message from its CloudEvent, routing it,
 * mapping the outcome (ack, retry, quarantine), and answering Chat
 * interactions through the REST API. Import from here.
 */
export { buildPubsubHandler, type PubsubEventHandler, type PubsubHandlerDeps } from './handler.js';
export {
  decodePubsubEvent,
  jsonOf,
  receivedAt,
  type CloudEventLike,
  type PubsubMessage,
} from './message.js';
export {
  byAttribute,
  byCommand,
  byTopic,
  otherwise,
  routeOf,
  unknownCommand,
  type MessageHandler,
  type PubsubRoute,
} from './routes.js';
export {
  handleInteractionMessage,
  type InteractionOutcome,
  type InteractionRouteDeps,
} from './interactions.js';
export {
  apiActionOf,
  chatMessageOf,
  NO_DIALOG_TEXT,
  sendReply,
  type ApiAction,
  type ReplyDeps,
} from './reply.js';
export { chatPubsubRoutes, type ChatPubsubRouteDeps } from './chat-pubsub-routes.js';
export {
  buildChatPubsubFromConfig,
  CHAT_PUBSUB,
  type ChatPubsubOverrides,
} from './chat-pubsub-from-config.js';
