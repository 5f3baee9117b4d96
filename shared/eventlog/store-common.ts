/**
 * What the stores share: the conflict error, the default page size, the
 * opaque cursor encoding, and how a Firestore failure becomes an error.
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

/** gRPC codes of Firestore failures worth retrying: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE. */
const RETRYABLE = new Set([4, 8, 10, 13, 14]);

/** The gRPC status code of a Firestore failure, when it has one. */
export function codeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A Firestore failure of `operation`, coded retryable (`unavailable`) or not. */
export function storeError(err: unknown, operation: string): SpacelogError {
  if (err instanceof SpacelogError) return err;
  const code = codeOf(err);
  const kind = code !== undefined && RETRYABLE.has(code) ? 'unavailable' : 'internal';
  return new SpacelogError(
    kind,
    `Event log ${operation} failed.`,
    { firestoreCode: code },
    { cause: err },
  );
}
