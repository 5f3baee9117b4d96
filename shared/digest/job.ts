/**
 * One space's digest for one period (the `PostDigest` command): compose it
 * from the log after the previous checkpoint, post it with a `requestId`
 * derived from its identity, and record `DigestPosted` (or `DigestSkipped`)
 * under that identity. Every step repeats safely: a recorded digest ends a
 * repeat at once; a post repeated after a crash gets Chat's first message
 * back; the period's events and checkpoint are the same on every attempt.
 *
 * An on-demand job (`/digest now`) is the same, for the period from the last
 * digest to when it was asked: it is posted in any space the app is in, even
 * when quiet, and the next scheduled digest starts where it ended.
 */
import type { Clock } from '../clock.js';
import type { PostDigest } from '../commands.js';
import { invalidInput } from '../errors.js';
import {
  newEvent,
  spaceStream,
  type EventStore,
  type RecordedEvent,
  type StreamId,
} from '../eventlog/index.js';
import type { Logger } from '../log.js';
import type { ProjectionStore } from '../projections/store.js';
import { spaceDocId } from '../projections/views.js';
import { deliverDigest, type DigestPoster } from './deliver.js';
import { digestId, digestRequestId } from './identity.js';
import { composeDigest } from './compose.js';

/** What a digest job needs. */
export interface DigestJobDeps {
  readonly events: EventStore;
  readonly projections: ProjectionStore;
  readonly poster: DigestPoster;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `DIGEST_QUIET`: a quiet period's default when the space set none. */
  readonly quiet: 'note' | 'skip';
  /** Applies a newly recorded digest event to the projections (advancing the schedule). */
  readonly onRecorded?: (event: RecordedEvent) => Promise<void>;
  /**
   * Catches the space's projections up with its stream before the schedule
   * is read, so settings or a removal recorded since the last sweep count.
   */
  readonly refresh?: (stream: StreamId) => Promise<void>;
}

/** What a job did. */
export type DigestJobOutcome =
  'posted' | 'skipped-quiet' | 'already-recorded' | 'not-scheduled' | 'not-due';

const SCHEDULER: { kind: 'system'; id: string } = { kind: 'system', id: 'scheduled-digest' };

/** Runs one `PostDigest` job. */
export async function handleDigestJob(
  deps: DigestJobDeps,
  job: PostDigest,
): Promise<DigestJobOutcome> {
  const id = digestId(job.space, job.periodEnd);
  if (job.jobId !== id)
    throw invalidInput('PostDigest job id does not match its space and period.');
  const log = deps.logger.child({ space: job.space, digest: id });
  const periodEnd = new Date(job.periodEnd);

  if ((await deps.events.get(id)) !== undefined) return 'already-recorded';
  await deps.refresh?.(spaceStream(job.space));
  const schedule = await deps.projections.get('digestSchedules', spaceDocId(job.space));
  const settings = schedule?.settings;
  const onDemand = job.onDemand === true;
  const scheduled = schedule?.enabled === true || onDemand;
  if (schedule === undefined || settings === undefined || !scheduled || !schedule.inSpace) {
    log.info('Digest job dropped: the space has no digest scheduled.');
    return 'not-scheduled';
  }
  if (onDemand) {
    if (Date.parse(schedule.lastPeriodEnd ?? '') >= periodEnd.getTime()) {
      log.info('On-demand digest dropped: a later digest was posted.');
      return 'not-scheduled';
    }
  } else if (Date.parse(schedule.nextDueAt ?? '') !== periodEnd.getTime()) {
    log.info('Digest job dropped: the schedule moved.', { nextDueAt: schedule.nextDueAt });
    return 'not-scheduled';
  }
  if (!onDemand && deps.clock.now().getTime() < periodEnd.getTime()) return 'not-due';

  const stream = spaceStream(job.space);
  const composed = await composeDigest(deps, job.space, { ...schedule, settings }, periodEnd);
  const common = {
    periodStart: composed.periodStart.toISOString(),
    periodEnd: periodEnd.toISOString(),
    checkpointVersion: composed.checkpointVersion,
  };

  if (composed.quiet && !onDemand && (settings.quiet ?? deps.quiet) === 'skip') {
    const skipped = newEvent('DigestSkipped', {
      id,
      stream,
      occurredAt: deps.clock.now(),
      causedBy: SCHEDULER,
      payload: { ...common, reason: 'quiet' },
    });
    await record(deps, skipped);
    log.info('Digest skipped: quiet period.', { checkpointVersion: composed.checkpointVersion });
    return 'skipped-quiet';
  }

  const requestId = digestRequestId(id);
  const delivered = await deliverDigest(deps.poster, {
    space: job.space,
    message: composed.message,
    requestId,
    delivery: settings.delivery ?? 'api',
  });
  const posted = newEvent('DigestPosted', {
    id,
    stream,
    occurredAt: deps.clock.now(),
    causedBy: SCHEDULER,
    payload: { ...common, requestId, ...delivered },
  });
  await record(deps, posted);
  log.info('Digest posted.', {
    delivery: delivered.delivery,
    events: composed.eventsRead,
    checkpointVersion: composed.checkpointVersion,
    trimmed: composed.trimmed,
  });
  return 'posted';
}

async function record(deps: DigestJobDeps, event: Parameters<EventStore['append']>[0]) {
  const result = await deps.events.append(event);
  await deps.onRecorded?.(result.event);
}
