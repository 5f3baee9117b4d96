/**
 * A digest's identity: the space and the end of the period it covers (the
 * scheduled due time). Everything that must happen once per period derives
 * from it: the Pub/Sub job's id, the Chat `requestId` of the post (a repeat
 * gets the first message back) and the id of the `DigestPosted` or
 * `DigestSkipped` event (a repeat records nothing).
 */
import { spaceStream, streamKey } from '../eventlog/index.js';
import { requestIdFor } from '../outbound/request-id.js';

/** The identity of the digest of `space` (`spaces/ID`) for the period ending at `periodEnd`. */
export function digestId(space: string, periodEnd: Date | string): string {
  const end = typeof periodEnd === 'string' ? new Date(periodEnd) : periodEnd;
  return `digest:${streamKey(spaceStream(space))}:${end.toISOString()}`;
}

/** The Chat `requestId` of the digest's post. */
export function digestRequestId(id: string): string {
  return requestIdFor(id, 'digest');
}
