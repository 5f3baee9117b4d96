/**
 * The Chat API v1 paths the stand-in serves, matched to a method name, the
 * resource names in the path, and the handler.
 */
import type { MethodHandler } from './context.js';
import { createMember, listMembers } from './members.js';
import { createMessage } from './message-create.js';
import {
  createReaction,
  deleteMessage,
  getMessage,
  listMessages,
  patchMessage,
} from './messages.js';
import type { ChatMethod } from './scopes.js';
import { createSpace, findDirectMessage, getSpace, listSpaces, setupSpace } from './spaces.js';

/** A matched route. */
export interface RouteMatch {
  readonly method: ChatMethod;
  readonly handler: MethodHandler;
  readonly space?: string;
  readonly message?: string;
}

const SEGMENT = '([^/:]+)';

const TABLE: readonly (readonly [string, RegExp, ChatMethod, MethodHandler])[] = [
  ['GET', /^\/v1\/spaces$/, 'spaces.list', listSpaces],
  ['POST', /^\/v1\/spaces$/, 'spaces.create', createSpace],
  ['POST', /^\/v1\/spaces:setup$/, 'spaces.setup', setupSpace],
  ['GET', /^\/v1\/spaces:findDirectMessage$/, 'spaces.findDirectMessage', findDirectMessage],
  ['GET', new RegExp(`^/v1/spaces/${SEGMENT}$`), 'spaces.get', getSpace],
  ['GET', new RegExp(`^/v1/spaces/${SEGMENT}/messages$`), 'messages.list', listMessages],
  ['POST', new RegExp(`^/v1/spaces/${SEGMENT}/messages$`), 'messages.create', createMessage],
  ['GET', new RegExp(`^/v1/spaces/${SEGMENT}/messages/${SEGMENT}$`), 'messages.get', getMessage],
  [
    'PATCH',
    new RegExp(`^/v1/spaces/${SEGMENT}/messages/${SEGMENT}$`),
    'messages.patch',
    patchMessage,
  ],
  [
    'PUT',
    new RegExp(`^/v1/spaces/${SEGMENT}/messages/${SEGMENT}$`),
    'messages.patch',
    patchMessage,
  ],
  [
    'DELETE',
    new RegExp(`^/v1/spaces/${SEGMENT}/messages/${SEGMENT}$`),
    'messages.delete',
    deleteMessage,
  ],
  [
    'POST',
    new RegExp(`^/v1/spaces/${SEGMENT}/messages/${SEGMENT}/reactions$`),
    'reactions.create',
    createReaction,
  ],
  ['GET', new RegExp(`^/v1/spaces/${SEGMENT}/members$`), 'members.list', listMembers],
  ['POST', new RegExp(`^/v1/spaces/${SEGMENT}/members$`), 'members.create', createMember],
];

/** The route for an HTTP method and path, or `undefined`. */
export function matchRoute(httpMethod: string, path: string): RouteMatch | undefined {
  for (const [verb, pattern, method, handler] of TABLE) {
    if (verb !== httpMethod) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const [, spaceId, messageId] = match.map((part) =>
      part === undefined ? part : decodeURIComponent(part),
    );
    const space = spaceId === undefined ? undefined : `spaces/${spaceId}`;
    return {
      method,
      handler,
      ...(space ? { space } : {}),
      ...(space && messageId ? { message: `${space}/messages/${messageId}` } : {}),
    };
  }
  return undefined;
}
