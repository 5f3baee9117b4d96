/**
 * Digest settings and schedule per space. `nextDueAt` comes from
 * `nextDigestAt` after the event that changed the schedule: the settings
 * change or the app's return (after its time), a digest posted or skipped
 * (after the period's end). Leaving a space disables its digests and clears
 * `nextDueAt`; coming back restores what the settings say. Times come from
 * the events, never the clock, so replay gives the same schedule.
 */
import { nextDigestAt } from '../digest/schedule.js';
import { asKnown } from '../eventlog/catalogue.js';
import { spaceNameOf, streamKey } from '../eventlog/streams.js';
import { handler, omit } from './handler.js';
import { safeId, type DigestScheduleView } from './views.js';

const TYPES = new Set([
  'AppAddedToSpace',
  'AppRemovedFromSpace',
  'DigestSettingsChanged',
  'DigestPosted',
  'DigestSkipped',
]);

/** `digestSchedules/{spaceId}`. */
export const digestSchedules = handler({
  collection: 'digestSchedules',
  ids: (event) => (TYPES.has(event.type) ? [safeId(streamKey(event.stream))] : []),
  apply: (view, raw): DigestScheduleView | undefined => {
    const event = asKnown(raw);
    if (event === undefined) return undefined;
    // A space whose settings change without an AppAddedToSpace on record has the app in it.
    const base: DigestScheduleView = view ?? {
      spaceName: spaceNameOf(event.stream) ?? '',
      inSpace: true,
      enabled: false,
    };
    switch (event.type) {
      case 'AppAddedToSpace':
        return schedule({ ...base, inSpace: true }, event.occurredAt);
      case 'AppRemovedFromSpace':
        return schedule({ ...base, inSpace: false }, event.occurredAt);
      case 'DigestSettingsChanged':
        return schedule({ ...base, settings: event.payload }, event.occurredAt);
      case 'DigestPosted':
      case 'DigestSkipped':
        return schedule(
          {
            ...base,
            lastPeriodEnd: event.payload.periodEnd,
            lastCheckpointVersion: event.payload.checkpointVersion,
          },
          event.payload.periodEnd,
        );
      default:
        return undefined;
    }
  },
});

/** Recomputes `enabled` and `nextDueAt` from settings and presence, after `after`. */
function schedule(view: DigestScheduleView, after: string): DigestScheduleView {
  const rest = omit(view, 'nextDueAt');
  const enabled = view.inSpace && view.settings?.enabled === true;
  if (!enabled || view.settings === undefined) return { ...rest, enabled: false };
  const next = nextDigestAt(view.settings, new Date(after));
  return { ...rest, enabled, nextDueAt: next.toISOString() };
}
