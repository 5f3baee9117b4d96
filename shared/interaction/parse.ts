/**
 * Parses the JSON body of an interaction event, in either format, into an
 * interaction. The same function serves HTTP (`chatEvents`) and Pub/Sub
 * (`chatPubsub`), whose message data is the same JSON.
 */
import { parseAddOn } from './add-on.js';
import { parseClassic } from './classic.js';
import type { Interaction } from './model.js';
import { malformed, obj } from './read.js';

/**
 * The interaction in `body`. Throws `invalid-input` (with a fixed reason
 * code, no content) when the body is neither format or lacks a space, a
 * user or an event time. An unknown event kind is not an error: it parses
 * as `unknown`.
 */
export function parseInteraction(body: unknown): Interaction {
  const json = obj(body) ?? malformed('not-an-object');
  if (obj(json.chat) !== undefined) return parseAddOn(json);
  if (typeof json.type === 'string') return parseClassic(json);
  return malformed('unknown-format');
}
