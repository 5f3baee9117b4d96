/**
 * The event log as the page sees it: read through the store's own
 * `readAll` (recorded order, with a cursor), polled, the newest entries kept
 * for a page that opens later, and each new entry handed to live listeners.
 */
import type { EventStore, LogPage, RecordedEvent } from '../../shared/eventlog/index.js';

/** Reads one page of the whole log after a cursor. */
export type LogReader = Pick<EventStore, 'readAll'>;

/** A live view of the log. */
export interface EventLogFeed {
  /** The newest `limit` entries seen so far, oldest first. */
  recent(limit: number): readonly RecordedEvent[];
  /** Calls `listener` with each new entry; returns the unsubscribe function. */
  subscribe(listener: (event: RecordedEvent) => void): () => void;
  stop(): void;
}

const KEEP = 1000;

/** Polls `reader` every `intervalMs`; `onError` hears of a failed read (the next poll retries). */
export function createEventLogFeed(
  reader: LogReader | undefined,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): EventLogFeed {
  const seen: RecordedEvent[] = [];
  const listeners = new Set<(event: RecordedEvent) => void>();
  let cursor: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const poll = async (): Promise<void> => {
    if (reader === undefined) return;
    for (;;) {
      const page: LogPage = await reader.readAll({
        ...(cursor === undefined ? {} : { cursor }),
        limit: 200,
      });
      cursor = page.cursor;
      for (const event of page.events) {
        seen.push(event);
        for (const listener of listeners) listener(event);
      }
      if (seen.length > KEEP) seen.splice(0, seen.length - KEEP);
      if (page.events.length < 200) return;
    }
  };
  const loop = () => {
    if (stopped) return;
    poll()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.intervalMs ?? 700);
      });
  };
  loop();

  return {
    recent: (limit) => seen.slice(-limit),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
