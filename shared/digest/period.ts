/**
 * Which events a digest covers. A period's events are those of the space's
 * stream after the previous digest's checkpoint and recorded before the
 * period's end; the checkpoint of this digest is the last of them. The
 * boundary depends only on the stream, never on when the job ran, so a retry
 * or a second instance composes the same digest and records the same
 * checkpoint, and an event recorded after the end waits for the next digest.
 *
 * Reads go forward from a version (or, for a space's first digest, back from
 * the head to the period's start), a window at a time, so the cost follows the
 * events read, not the length of the stream.
 */
import type { EventStore, RecordedEvent, StreamId } from '../eventlog/index.js';

/** The events of a period and the checkpoint that closes it. */
export interface PeriodEvents {
  readonly events: readonly RecordedEvent[];
  /** Stream version of the last event covered (`afterVersion` when none). */
  readonly checkpointVersion: number;
}

const PAGE = 500;
/** Versions per read, and the most reads in flight at once, when reading a period forward. */
const WINDOW = 20;
const MOST_WINDOWS = 10;

/**
 * The events after `afterVersion` recorded before `periodEnd`. Reads go out
 * as windows of consecutive versions, several at once, and twice as many
 * each round while every window comes back full: a period of a few hundred
 * events costs a few round trips rather than one per window (a new instance
 * does not know where the stream ends), and a short one reads few versions
 * past its end.
 */
export async function readPeriod(
  store: EventStore,
  stream: StreamId,
  afterVersion: number,
  periodEnd: Date,
): Promise<PeriodEvents> {
  const end = periodEnd.getTime();
  const events: RecordedEvent[] = [];
  let after = afterVersion;
  for (let width = 2; ; width = Math.min(MOST_WINDOWS, width * 2)) {
    const from = after;
    const windows = await Promise.all(
      Array.from({ length: width }, (_, i) =>
        store.readStream(stream, { afterVersion: from + i * WINDOW, limit: WINDOW }),
      ),
    );
    for (const window of windows) {
      for (const event of window) {
        if (Date.parse(event.recordedAt) >= end) return { events, checkpointVersion: after };
        events.push(event);
        after = event.version;
      }
      if (window.length < WINDOW) return { events, checkpointVersion: after };
    }
  }
}

/**
 * The version of the last event recorded before `start` (0 when none), found
 * by reading back from the head a page at a time: where a space has no
 * checkpoint yet, its first digest starts there.
 */
export async function versionBefore(
  store: EventStore,
  stream: StreamId,
  start: Date,
  pageSize = PAGE,
): Promise<number> {
  const at = start.getTime();
  let upTo = await store.streamVersion(stream);
  while (upTo > 0) {
    const from = Math.max(0, upTo - pageSize);
    const page = await store.readStream(stream, { afterVersion: from, limit: upTo - from });
    for (let i = page.length - 1; i >= 0; i--) {
      const event = page[i];
      if (event !== undefined && Date.parse(event.recordedAt) < at) return event.version;
    }
    upTo = from;
  }
  return 0;
}
