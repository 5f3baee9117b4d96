/**
 * Workspace Events reach Pub/Sub as CloudEvents in binary mode: the event's
 * attributes as `ce-*` message attributes, its data as the message body.
 * https://developers.google.com/workspace/events/guides#event-format
 */
import type { WorkspaceEvent } from './translate.js';

/** The attribute that marks a Workspace Events message, and names its type. */
export const CE_TYPE_ATTRIBUTE = 'ce-type';

/**
 * The CloudEvent a Pub/Sub message carries, from its attributes and its
 * decoded JSON data; undefined when the message has no `ce-type`.
 */
export function workspaceEventOf(
  attributes: Readonly<Record<string, string>> | undefined,
  data: unknown,
): WorkspaceEvent | undefined {
  const type = attributes?.[CE_TYPE_ATTRIBUTE];
  if (type === undefined || type === '') return undefined;
  const subject = attributes?.['ce-subject'];
  const id = attributes?.['ce-id'];
  const time = attributes?.['ce-time'];
  return {
    type,
    data,
    ...(subject !== undefined && { subject }),
    ...(id !== undefined && { id }),
    ...(time !== undefined && { time }),
  };
}
