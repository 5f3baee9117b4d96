/**
 * Routing Pub/Sub messages to the code that handles them: an ordered list of
 * routes, the first that matches wins. Adding a route is one line in the
 * list. Handlers get the decoded message and a logger; they resolve to ack,
 * and throw a coded error for anything else (see `handler.ts`).
 */
import { invalidInput } from '../errors.js';
import type { Logger } from '../log.js';
import { COMMAND_ATTRIBUTE } from '../pubsub.js';
import type { PubsubMessage } from './message.js';

/** Handles one message; the resolved value, if any, is logged as its outcome. */
export type MessageHandler = (message: PubsubMessage, log: Logger) => Promise<unknown>;

/** One route. */
export interface PubsubRoute {
  /** Stable name for logs and refusal reasons, such as `open-incident`. */
  readonly name: string;
  matches(message: PubsubMessage): boolean;
  readonly handle: MessageHandler;
}

/** Spacelog's own command `command` (the `spacelog-command` attribute). */
export function byCommand(command: string, handle: MessageHandler): PubsubRoute {
  return { name: command, matches: (m) => m.attributes[COMMAND_ATTRIBUTE] === command, handle };
}

/** Any other `spacelog-command`: refused, since no code knows it. */
export function unknownCommand(): PubsubRoute {
  return {
    name: 'unknown-command',
    matches: (m) => m.attributes[COMMAND_ATTRIBUTE] !== undefined,
    handle: () => Promise.reject(invalidInput('Unknown command.', { reason: 'unknown-command' })),
  };
}

/** Messages carrying the attribute `attribute` (such as `ce-type`). */
export function byAttribute(name: string, attribute: string, handle: MessageHandler): PubsubRoute {
  return { name, matches: (m) => (m.attributes[attribute] ?? '') !== '', handle };
}

/** Messages published to `topic` (short name). */
export function byTopic(name: string, topic: string, handle: MessageHandler): PubsubRoute {
  return { name, matches: (m) => m.topic === topic, handle };
}

/** Every message; put last. */
export function otherwise(name: string, handle: MessageHandler): PubsubRoute {
  return { name, matches: () => true, handle };
}

/** The first route that matches, or undefined. */
export function routeOf(
  routes: readonly PubsubRoute[],
  message: PubsubMessage,
): PubsubRoute | undefined {
  return routes.find((route) => route.matches(message));
}
