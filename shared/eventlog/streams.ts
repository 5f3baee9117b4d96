/**
 * Stream ids: `space:ID` (ID is the part of `spaces/ID` after the slash),
 * `user:ID` (of `users/ID`), `incident:KEY` and `app`.
 */
import type { StreamKind } from './define.js';
import type { StreamId } from './types.js';

/** The stream of the app itself. */
export const APP_STREAM = 'app' as const satisfies StreamId;

/** The stream of a space, from `spaces/ID` (or the bare ID). */
export function spaceStream(spaceName: string): StreamId {
  return `space:${withoutPrefix(spaceName, 'spaces/')}`;
}

/** The stream of a user, from `users/ID` (or the bare ID). */
export function userStream(userName: string): StreamId {
  return `user:${withoutPrefix(userName, 'users/')}`;
}

/** The stream of an incident, by its key. */
export function incidentStream(key: string): StreamId {
  return `incident:${key}`;
}

/** The kind of a stream id, or undefined when it is not one. */
export function streamKindOf(stream: string): StreamKind | undefined {
  if (stream === 'app') return 'app';
  const match = /^(space|user|incident):(.+)$/.exec(stream);
  if (match === null || (match[2] ?? '').length > 512) return undefined;
  return match[1] as StreamKind;
}

/** The part of a stream id after `kind:` (`AAA` for `space:AAA`, '' for `app`). */
export function streamKey(stream: StreamId): string {
  const colon = stream.indexOf(':');
  return colon < 0 ? '' : stream.slice(colon + 1);
}

/** The Chat resource name a space stream stands for (`space:AAA` → `spaces/AAA`). */
export function spaceNameOf(stream: StreamId): string | undefined {
  return stream.startsWith('space:') ? `spaces/${streamKey(stream)}` : undefined;
}

function withoutPrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}
