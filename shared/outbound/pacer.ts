/**
 * Paces writes within one instance: at most one write per space every
 * `60 s / perSpacePerMinute` (Chat allows 60 writes a minute per space,
 * about one message a second, shared with every other app and webhook), and
 * optionally one write per project every `60 s / perProjectPerMinute`.
 * Each space keeps a queue, so concurrent writes to one space leave in turn;
 * idle spaces are forgotten, and at most `maxSpaces` are tracked.
 */
import { SpacelogError } from '../errors.js';
import type { OutboundRuntime } from './runtime.js';

/** Write pacing shared by the Chat client and the webhook sender. */
export interface WritePacer {
  /**
   * Waits for the next write slot of `space`. Throws `rate-limited` at once,
   * without waiting, when that slot would come after `notAfterMs` (epoch ms).
   */
  acquire(space: string, notAfterMs: number): Promise<void>;
  /** Moves the next write slot of `space` to no sooner than `untilMs` (after a 429). */
  holdUntil(space: string, untilMs: number): void;
}

/** Options of {@link createWritePacer}. */
export interface WritePacerOptions {
  readonly perSpacePerMinute: number;
  /** Writes a minute across all spaces; unset for no project-wide pacing. */
  readonly perProjectPerMinute?: number;
  /** Spaces tracked at once (default 10,000); the least recently used go first. */
  readonly maxSpaces?: number;
}

interface Lane {
  /** Epoch ms of the last slot handed out. */
  last: number;
  /** Writers queued or in their wait. */
  waiting: number;
  /** Settles when the previous writer got its slot. */
  tail: Promise<void>;
}

const newLane = (): Lane => ({ last: -Infinity, waiting: 0, tail: Promise.resolve() });

/** Builds a pacer over the runtime's clock and sleep. */
export function createWritePacer(
  options: WritePacerOptions,
  runtime: Pick<OutboundRuntime, 'clock' | 'sleep'>,
): WritePacer {
  const spaceGap = 60_000 / options.perSpacePerMinute;
  const projectGap =
    options.perProjectPerMinute === undefined ? 0 : 60_000 / options.perProjectPerMinute;
  const maxSpaces = options.maxSpaces ?? 10_000;
  const lanes = new Map<string, Lane>();
  const project = newLane();
  const now = () => runtime.clock.now().getTime();

  const laneOf = (space: string): Lane => {
    const lane = lanes.get(space) ?? newLane();
    // Re-inserting keeps the Map in least-recently-used order.
    lanes.delete(space);
    lanes.set(space, lane);
    if (lanes.size > maxSpaces) evict(lanes, maxSpaces, now() - spaceGap);
    return lane;
  };

  const take = async (lane: Lane, gap: number, notAfterMs: number): Promise<void> => {
    const queued = lane.waiting;
    if (Math.max(now(), lane.last + gap) + queued * gap > notAfterMs) throw paced();
    lane.waiting += 1;
    const previous = lane.tail;
    let release: () => void = () => undefined;
    lane.tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      const slot = Math.max(now(), lane.last + gap);
      if (slot > notAfterMs) throw paced();
      if (slot > now()) await runtime.sleep(slot - now());
      // The slot, not the wake-up time: timer lag must not slow the long-run rate.
      lane.last = slot;
    } finally {
      lane.waiting -= 1;
      release();
    }
  };

  return {
    async acquire(space, notAfterMs) {
      await take(laneOf(space), spaceGap, notAfterMs);
      if (projectGap > 0) await take(project, projectGap, notAfterMs);
    },
    holdUntil(space, untilMs) {
      const lane = laneOf(space);
      lane.last = Math.max(lane.last, untilMs - spaceGap);
    },
  };
}

function evict(lanes: Map<string, Lane>, maxSpaces: number, idleBefore: number): void {
  for (const [space, lane] of lanes) {
    if (lanes.size <= maxSpaces) return;
    if (lane.waiting === 0 && lane.last <= idleBefore) lanes.delete(space);
  }
  // Every tracked space is busy: forget the least recently used anyway, so memory stays bounded.
  for (const space of lanes.keys()) {
    if (lanes.size <= maxSpaces) return;
    lanes.delete(space);
  }
}

function paced(): SpacelogError {
  return new SpacelogError(
    'rate-limited',
    'Write not sent: the space is paced past the call deadline.',
  );
}
