/**
 * The scheduler's tick: find the spaces whose digest is due (an indexed query
 * on the digest-schedule projection, oldest due first) and publish one
 * `PostDigest` job per space, so each space's digest is its own Pub/Sub
 * message and one slow space never holds up another. Jobs are published a
 * bounded number at a time. A tick that repeats or overlaps another publishes
 * the same job identities again; the job itself posts and records once.
 */
import type { Clock } from '../clock.js';
import { postDigestMessage } from '../commands.js';
import { SpacelogError, toSpacelogError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ProjectionStore } from '../projections/store.js';
import type { Publisher } from '../pubsub.js';
import { digestId } from './identity.js';

/** What a tick needs. */
export interface DigestTickDeps {
  readonly projections: Pick<ProjectionStore, 'dueDigests'>;
  readonly publisher: Publisher;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `DIGEST_JOBS_TOPIC`. */
  readonly jobsTopic: string;
  /** `DIGEST_TICK_MAX_SPACES`: due spaces taken per tick (the rest wait for the next). */
  readonly maxSpaces: number;
  /** `DIGEST_PUBLISH_CONCURRENCY`: publishes in flight at once. */
  readonly concurrency: number;
}

/** What a tick did. */
export interface DigestTickReport {
  readonly due: number;
  readonly published: number;
  readonly failed: number;
}

/**
 * Publishes the jobs of every due space. Throws `unavailable` after trying
 * them all when some could not be published, so the tick is delivered again
 * (jobs already published are repeated harmlessly).
 */
export async function handleDigestTick(deps: DigestTickDeps): Promise<DigestTickReport> {
  const now = deps.clock.now();
  const due = await deps.projections.dueDigests(now, deps.maxSpaces);
  let published = 0;
  let failed = 0;

  await inParallel(due, deps.concurrency, async ({ data }) => {
    if (data.nextDueAt === undefined) return;
    const periodEnd = new Date(data.nextDueAt).toISOString();
    const command = {
      command: 'PostDigest' as const,
      space: data.spaceName,
      periodEnd,
      jobId: digestId(data.spaceName, periodEnd),
    };
    try {
      await deps.publisher.publish(deps.jobsTopic, postDigestMessage(command));
      published += 1;
    } catch (err) {
      failed += 1;
      const error = toSpacelogError(err);
      deps.logger.warn('Digest job not published.', { space: data.spaceName, code: error.code });
    }
  });

  const report = { due: due.length, published, failed };
  deps.logger.info('Digest tick done.', { ...report, full: due.length === deps.maxSpaces });
  if (failed > 0) {
    throw new SpacelogError('unavailable', 'Some digest jobs could not be published.', report);
  }
  return report;
}

/** Runs `work` over `items` with at most `limit` running at once. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
