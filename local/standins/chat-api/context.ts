/**
 * What every Chat API method handler receives and returns, and the checks
 * they share (the space exists and the caller is in it; a body is an object).
 */
import { HttpError } from '../standin.js';
import type { Caller } from './caller.js';
import type { SpaceRecord } from './records.js';
import type { ChatState } from './state.js';

/** A handler's answer. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** One authenticated call to a method. */
export interface RouteContext {
  readonly state: ChatState;
  readonly caller: Caller;
  /** `spaces/S`, for methods under a space. */
  readonly space?: string;
  /** `spaces/S/messages/M`, for methods on a message. */
  readonly message?: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** A handler of one method. */
export type MethodHandler = (ctx: RouteContext) => Reply;

/** A 200 reply. */
export const ok = (body: unknown): Reply => ({ status: 200, body });

/** Throws Google's 400 INVALID_ARGUMENT. */
export function invalidArgument(message: string): never {
  throw new HttpError(400, 'INVALID_ARGUMENT', message);
}

/** Throws Google's 404 NOT_FOUND. */
export function notFound(message = 'Requested entity was not found.'): never {
  throw new HttpError(404, 'NOT_FOUND', message);
}

/** Throws Google's 403 PERMISSION_DENIED. */
export function permissionDenied(message: string): never {
  throw new HttpError(403, 'PERMISSION_DENIED', message);
}

/** Throws Google's 409 ALREADY_EXISTS. */
export function alreadyExists(message: string): never {
  throw new HttpError(409, 'ALREADY_EXISTS', message);
}

/**
 * The space of the call. It must exist and, except for webhooks, the caller
 * (the app under app auth, the user under user auth) must be a member; Chat
 * answers 404 otherwise.
 */
export function requireSpace(ctx: RouteContext): SpaceRecord {
  const space = ctx.space === undefined ? undefined : ctx.state.spaces.get(ctx.space);
  if (!space) return notFound('Space not found.');
  if (ctx.caller.kind !== 'webhook' && !ctx.state.isMember(space.name, ctx.caller.user)) {
    return notFound('Space not found, or the caller is not a member of it.');
  }
  return space;
}

/** The body as a plain object (400 otherwise). */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalidArgument('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** A field of an object, if it is itself an object. */
export function objectField(
  body: Record<string, unknown>,
  key: string,
): Record<string, unknown> | undefined {
  const value = body[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A field of an object, if it is a string. */
export function stringField(body: Record<string, unknown> | undefined, key: string) {
  const value = body?.[key];
  return typeof value === 'string' ? value : undefined;
}
