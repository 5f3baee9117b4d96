/**
 * The append both Firestore stores run, over the library (`firestore-store.ts`,
 * whose header explains why it holds under concurrency) and over REST
 * (`firestore-rest-store.ts`). Each store supplies the document operations:
 * find a stream's head, tell whether a version exists, read the event an id
 * claim points to, and create an event with its claim in one commit. This
 * file decides the versions and tells a duplicate from a lost race.
 */
import type { Clock } from '../clock.js';
import { SpacelogError } from '../errors.js';
import type { HeadCache } from './firestore-head.js';
import { conflict } from './store-common.js';
import type { AppendResult, NewEvent, RecordedEvent, StreamId } from './types.js';

/** The document operations of one store. */
export interface AppendSteps {
  readonly heads: HeadCache;
  readonly clock: Clock;
  /** Attempts of an append without `expectedVersion` that keeps losing races. */
  readonly maxAttempts: number;
  /** The stream's head, read by key; records it in `heads`. */
  head(stream: StreamId): Promise<number>;
  /** Whether the event document of `version` exists. */
  exists(stream: StreamId, version: number): Promise<boolean>;
  /** The event the id claim of `eventId` points to, or undefined without a claim. */
  original(eventId: string): Promise<RecordedEvent | undefined>;
  /** Creates the event and its id claim in one commit; false when either existed. */
  create(event: RecordedEvent): Promise<boolean>;
}

/** Appends `event` through `steps`: at `expectedVersion + 1`, or at the head. */
export async function claimedAppend(
  steps: AppendSteps,
  event: NewEvent,
  expectedVersion: number | undefined,
  schemaVersion: number,
): Promise<AppendResult> {
  const { heads } = steps;
  const record = (version: number): RecordedEvent => ({
    ...event,
    version,
    schemaVersion,
    recordedAt: steps.clock.now().toISOString(),
  });
  const create = async (recorded: RecordedEvent) => {
    const created = await steps.create(recorded);
    if (created) heads.saw(recorded.stream, recorded.version);
    return created;
  };

  if (expectedVersion !== undefined) {
    const existing = await steps.original(event.id);
    if (existing !== undefined) return { status: 'duplicate', event: existing };
    if (!(await versionExists(steps, event.stream, expectedVersion))) {
      throw conflict(event, expectedVersion);
    }
    const recorded = record(expectedVersion + 1);
    if (await create(recorded)) return { status: 'appended', event: recorded };
    const raced = await steps.original(event.id);
    if (raced !== undefined) return { status: 'duplicate', event: raced };
    throw conflict(event, expectedVersion);
  }

  // A cold stream is probed first; a warm one tries the next version blind.
  let version =
    heads.get(event.stream) === 0 ? await steps.head(event.stream) : heads.get(event.stream);
  for (let attempt = 1; attempt <= steps.maxAttempts; attempt++) {
    const recorded = record(version + 1);
    if (await create(recorded)) return { status: 'appended', event: recorded };
    const existing = await steps.original(event.id);
    if (existing !== undefined) return { status: 'duplicate', event: existing };
    heads.saw(event.stream, version + 1);
    version = await steps.head(event.stream);
  }
  throw new SpacelogError('unavailable', 'Append kept losing races for its stream.', {
    stream: event.stream,
    attempts: steps.maxAttempts,
  });
}

async function versionExists(steps: AppendSteps, stream: StreamId, version: number) {
  if (version === 0 || steps.heads.get(stream) >= version) return true;
  const found = await steps.exists(stream, version);
  if (found) steps.heads.saw(stream, version);
  return found;
}
