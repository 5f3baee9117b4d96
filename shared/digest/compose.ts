/**
 * Composing one digest: the period's events read forward from the previous
 * checkpoint (see `period.ts`), folded into a summary with the incidents of
 * the period, and rendered as a Chat message with members' display names and
 * the space's name from the projections. Composing reads and writes nothing
 * else, so a retry composes the same digest.
 */
import type { EventStore } from '../eventlog/index.js';
import { spaceStream } from '../eventlog/index.js';
import type { ChatMessage } from '../outbound/index.js';
import type { ProjectionStore } from '../projections/store.js';
import {
  spaceDocId,
  type DigestScheduleView,
  type DigestSettingsView,
} from '../projections/views.js';
import { incidentNotes } from './incidents.js';
import { readPeriod, versionBefore } from './period.js';
import { renderDigest, renderQuietNote } from './render.js';
import { isQuiet, summarize, type DigestSummary } from './summary.js';

/** What composing reads. */
export interface ComposeDeps {
  readonly events: EventStore;
  readonly projections: Pick<ProjectionStore, 'get' | 'membersOf'>;
}

/** A composed digest, ready to post (or to skip when quiet). */
export interface ComposedDigest {
  readonly periodStart: Date;
  readonly periodEnd: Date;
  /** Last space stream version covered. */
  readonly checkpointVersion: number;
  readonly eventsRead: number;
  readonly summary: DigestSummary;
  readonly quiet: boolean;
  readonly message: ChatMessage;
  readonly trimmed: boolean;
}

const DAY_MS = 86_400_000;

/** Composes the digest of `space` for the period ending at `periodEnd`. */
export async function composeDigest(
  deps: ComposeDeps,
  space: string,
  schedule: DigestScheduleView & { readonly settings: DigestSettingsView },
  periodEnd: Date,
): Promise<ComposedDigest> {
  const stream = spaceStream(space);
  const periodStart = startOf(schedule, periodEnd);
  const after =
    schedule.lastCheckpointVersion ?? (await versionBefore(deps.events, stream, periodStart));
  const [period, incidents, spaceView, members] = await Promise.all([
    readPeriod(deps.events, stream, after, periodEnd),
    incidentNotes(deps.projections, space, periodStart, periodEnd),
    deps.projections.get('spaces', spaceDocId(space)),
    deps.projections.membersOf(space),
  ]);
  const summary = summarize(period.events, incidents);
  const names = new Map(
    members.flatMap((m) =>
      m.displayName === undefined ? [] : ([[m.member, m.displayName]] as const),
    ),
  );
  const view = {
    periodStart,
    periodEnd,
    timeZone: schedule.settings.timeZone,
    ...(spaceView?.displayName !== undefined && { spaceDisplayName: spaceView.displayName }),
  };
  const quiet = isQuiet(summary);
  const rendered = quiet
    ? { message: renderQuietNote(view), trimmed: false }
    : renderDigest({ ...view, summary, names });
  return {
    periodStart,
    periodEnd,
    checkpointVersion: period.checkpointVersion,
    eventsRead: period.events.length,
    summary,
    quiet,
    ...rendered,
  };
}

/** The period's start: the previous digest's end, or one cadence before this end. */
function startOf(schedule: DigestScheduleView, periodEnd: Date): Date {
  if (schedule.lastPeriodEnd !== undefined) return new Date(schedule.lastPeriodEnd);
  const days = schedule.settings?.cadence === 'weekly' ? 7 : 1;
  return new Date(periodEnd.getTime() - days * DAY_MS);
}
