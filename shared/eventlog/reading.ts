/**
 * Paging helpers over any `EventStore`: a whole stream or the whole log as
 * async iterables, one page in memory at a time.
 */
import type { Cursor, EventStore, RecordedEvent, StreamId } from './types.js';

/** Every event of a stream after `afterVersion`, page by page. */
export async function* streamEvents(
  store: EventStore,
  stream: StreamId,
  options: { afterVersion?: number; pageSize?: number } = {},
): AsyncGenerator<RecordedEvent> {
  let after = options.afterVersion ?? 0;
  const limit = options.pageSize ?? 500;
  for (;;) {
    const page = await store.readStream(stream, { afterVersion: after, limit });
    yield* page;
    const last = page.at(-1);
    if (last === undefined || page.length < limit) return;
    after = last.version;
  }
}

/** Pages of the whole log after `cursor`, each with the cursor after it. */
export async function* logPages(
  store: EventStore,
  options: { cursor?: Cursor; pageSize?: number } = {},
): AsyncGenerator<{ events: readonly RecordedEvent[]; cursor: Cursor }> {
  let cursor = options.cursor;
  const limit = options.pageSize ?? 500;
  for (;;) {
    const page = await store.readAll({ ...(cursor === undefined ? {} : { cursor }), limit });
    if (page.events.length === 0) return;
    yield page;
    cursor = page.cursor;
    if (page.events.length < limit) return;
  }
}
