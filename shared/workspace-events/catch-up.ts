/**
 * Catching up after a subscription lapsed: the space's messages created
 * after the last one the log knows, listed with `spaces.messages.list`
 * (app auth with `chat.app.messages.readonly`) and recorded under the same
 * ids Workspace Events would have given them, so a message seen both ways is
 * one event.
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/list
 */
import { asKnown, spaceStream, type EventStore } from '../eventlog/index.js';
import type { ChatClient } from '../outbound/index.js';
import { messageCreated } from './translate.js';

/** What catch-up needs. */
export interface CatchUpDeps {
  readonly chat: Pick<ChatClient, 'listMessages'>;
  readonly events: EventStore;
  /** `WORKSPACE_EVENTS_CATCH_UP_PAGES`: most pages of 100 messages read in one catch-up. */
  readonly catchUpPages: number;
}

/** How far back the log is searched for the last known message. */
const SCAN_EVENTS = 1_000;
const SCAN_PAGE = 200;

/**
 * The creation time of the newest message the space's stream holds, looking
 * back over its last events. When none of those is a message, the oldest of
 * them bounds it: no message was recorded since.
 */
export async function lastKnownMessageTime(
  events: EventStore,
  space: string,
): Promise<string | undefined> {
  const stream = spaceStream(space);
  let upTo = await events.streamVersion(stream);
  let oldest: string | undefined;
  for (let scanned = 0; upTo > 0 && scanned < SCAN_EVENTS; scanned += SCAN_PAGE) {
    const from = Math.max(0, upTo - SCAN_PAGE);
    const page = await events.readStream(stream, { afterVersion: from, limit: upTo - from });
    for (let i = page.length - 1; i >= 0; i--) {
      const event = asKnown(page[i] as (typeof page)[number]);
      if (event?.type === 'SpaceMessageCreated') return event.occurredAt;
      if (event !== undefined) oldest = event.occurredAt;
    }
    upTo = from;
  }
  return oldest;
}

/** Records the messages created after the last known one; resolves how many were new. */
export async function catchUp(deps: CatchUpDeps, space: string, now: Date): Promise<number> {
  const since = await lastKnownMessageTime(deps.events, space);
  const filter = since === undefined ? undefined : `createTime > "${since}"`;
  let recorded = 0;
  let pageToken: string | undefined;
  for (let page = 0; page < deps.catchUpPages; page++) {
    const listed = await deps.chat.listMessages({
      space,
      pageSize: 100,
      ...(filter !== undefined && { filter }),
      ...(pageToken !== undefined && { pageToken }),
    });
    for (const message of listed.messages ?? []) {
      const event = messageCreated(message, now.toISOString());
      if (event === undefined) continue;
      const result = await deps.events.append(event);
      if (result.status === 'appended') recorded += 1;
    }
    pageToken = listed.nextPageToken ?? undefined;
    if (!pageToken) break;
  }
  return recorded;
}
