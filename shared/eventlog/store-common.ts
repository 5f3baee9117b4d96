/**
 * What both stores share: the conflict error, the default page size and the
 * opaque cursor encoding.
 */
import { SpacelogError } from '../errors.js';
import type { Cursor, NewEvent } from './types.js';

/** Events a read returns when the caller names no limit. */
export const DEFAULT_READ_LIMIT = 500;

/** The `conflict` error of an append whose expected version is stale. */
export function conflict(event: NewEvent, expected: number, actual?: number): SpacelogError {
  return new SpacelogError('conflict', `Stream ${event.stream} moved past version ${expected}.`, {
    stream: event.stream,
    eventType: event.type,
    expectedVersion: expected,
    actualVersion: actual,
  });
}

/** Wraps a store's position as an opaque cursor, tagged with the store's kind. */
export function encodeCursor(kind: string, position: string): Cursor {
  return Buffer.from(`${kind}|${position}`, 'utf8').toString('base64url');
}

/** Unwraps a cursor made by `encodeCursor` for this kind of store. */
export function decodeCursorAs(cursor: Cursor, kind: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = raw.indexOf('|');
  if (bar < 0 || raw.slice(0, bar) !== kind) {
    throw new SpacelogError('invalid-input', 'Log cursor is not one of this store.', {});
  }
  return raw.slice(bar + 1);
}
