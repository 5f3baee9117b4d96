/**
 * Deterministic ids for Chat API creates, derived from the event that caused
 * them, so that a repeated delivery of that event repeats the same create and
 * Chat answers with what the first one made instead of making a second.
 */
import { createHash } from 'node:crypto';

/**
 * A `requestId` for the create that `purpose` names (such as `reply`,
 * `incident-details` or `part-2`) on behalf of `eventId`. The same inputs
 * always give the same id; different inputs practically never collide.
 * Shaped as a UUID (RFC 9562 version 8, lowercase, 36 characters) because
 * Chat recommends a UUID and documents no other format:
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create
 */
export function requestIdFor(eventId: string, purpose: string): string {
  const hex = digest(eventId, purpose).slice(0, 32).split('');
  hex[12] = '8'; // version 8: custom
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16); // variant 10xx
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A custom message id (`client-` and 40 lowercase hex digits, 47 characters;
 * Chat allows up to 63) for a message a later step must address by name,
 * derived like {@link requestIdFor}.
 */
export function messageIdFor(eventId: string, purpose: string): string {
  return `client-${digest(eventId, purpose).slice(0, 40)}`;
}

/** True when `id` is a usable custom message id. */
export function isCustomMessageId(id: string): boolean {
  return /^client-[a-z0-9-]{1,56}$/.test(id);
}

function digest(eventId: string, purpose: string): string {
  return createHash('sha256').update(eventId).update('\u0000').update(purpose).digest('hex');
}
