/**
 * When a space's next digest is due: daily, or weekly on an ISO weekday, at a
 * local time of day in the space's IANA time zone.
 *
 * Daylight-saving changes: when the local time does not exist that day (the
 * clocks jumped over it) the digest is due at the same wall-clock distance
 * after the jump (02:30 becomes 03:30); when it exists twice (the clocks went
 * back) it is due at the first of the two. Either way there is exactly one
 * due time per local day, so a digest is never sent twice on one day nor
 * skipped on one.
 */
import { DateTime } from 'luxon';

/** The part of digest settings the schedule depends on. */
export interface DigestTiming {
  readonly cadence: 'daily' | 'weekly';
  /** `HH:MM`, 24-hour, local to `timeZone`. */
  readonly timeOfDay: string;
  /** ISO weekday for `weekly`, 1 = Monday ... 7 = Sunday. Default 1. */
  readonly weekday?: number;
  /** IANA zone, such as `Europe/Paris` or `Asia/Kolkata`. */
  readonly timeZone: string;
}

/** The first due time strictly after `after`. */
export function nextDigestAt(settings: DigestTiming, after: Date): Date {
  const [hour, minute] = settings.timeOfDay.split(':').map(Number);
  const start = DateTime.fromJSDate(after, { zone: settings.timeZone });
  if (!start.isValid || hour === undefined || minute === undefined) {
    throw new RangeError('Digest timing has an unknown zone or a bad time of day.');
  }
  const weekday = settings.weekday ?? 1;
  // From the day before (a zone ahead of UTC can still be "yesterday" locally) to 8 days on.
  for (let offset = -1; offset <= 8; offset++) {
    const day = start.plus({ days: offset });
    if (settings.cadence === 'weekly' && day.weekday !== weekday) continue;
    const due = dueOn(day, hour, minute, settings.timeZone);
    if (due.toMillis() > after.getTime()) return due.toJSDate();
  }
  throw new RangeError('No digest time found within eight days.');
}

/** The single due instant of one local day. */
function dueOn(day: DateTime, hour: number, minute: number, zone: string): DateTime {
  const wanted = { year: day.year, month: day.month, day: day.day, hour, minute };
  const due = DateTime.fromObject(wanted, { zone });
  // luxon resolves a repeated local time to the later instant; the earlier one is
  // the offset change before it (an hour in most zones, half an hour in a few).
  const before = due.minus({ hours: 3 });
  if (before.offset <= due.offset) return due;
  const earlier = due.minus({ minutes: before.offset - due.offset });
  const same = earlier.day === day.day && earlier.hour === hour && earlier.minute === minute;
  return same ? earlier : due;
}
