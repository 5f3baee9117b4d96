/**
 * nextDigestAt: daily and weekly digests at a local time in an IANA zone,
 * across daylight-saving changes both ways and in half-hour zones.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextDigestAt, type DigestTiming } from '../../shared/digest/schedule.js';

const daily = (timeOfDay: string, timeZone: string): DigestTiming => ({
  cadence: 'daily',
  timeOfDay,
  timeZone,
});
const next = (settings: DigestTiming, after: string) =>
  nextDigestAt(settings, new Date(after)).toISOString();

describe('nextDigestAt', () => {
  it('is due later the same day, or the next day once the time has passed', () => {
    expect(next(daily('09:00', 'UTC'), '2026-05-04T08:59:00Z')).toBe('2026-05-04T09:00:00.000Z');
    expect(next(daily('09:00', 'UTC'), '2026-05-04T09:00:00Z')).toBe('2026-05-05T09:00:00.000Z');
  });

  it('keeps the local time across a DST change (New York, 09:00)', () => {
    expect(next(daily('09:00', 'America/New_York'), '2026-03-07T15:00:00Z')).toBe(
      '2026-03-08T13:00:00.000Z',
    );
    expect(next(daily('09:00', 'America/New_York'), '2026-03-06T15:00:00Z')).toBe(
      '2026-03-07T14:00:00.000Z',
    );
  });

  it('moves a time the clocks skip to just after the jump (Berlin, 02:30 on 29 March)', () => {
    const s = daily('02:30', 'Europe/Berlin');
    expect(next(s, '2026-03-28T12:00:00Z')).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(next(s, '2026-03-29T01:30:00Z')).toBe('2026-03-30T00:30:00.000Z'); // 02:30 CEST
  });

  it('takes the first of a repeated time and not the second (Berlin, 02:30 on 25 October)', () => {
    const s = daily('02:30', 'Europe/Berlin');
    expect(next(s, '2026-10-24T12:00:00Z')).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(next(s, '2026-10-25T00:30:00Z')).toBe('2026-10-26T01:30:00.000Z'); // 02:30 CET, next day
  });

  it('handles half-hour zones (Kolkata, Adelaide) and Adelaide changing both ways', () => {
    expect(next(daily('09:00', 'Asia/Kolkata'), '2026-01-01T00:00:00Z')).toBe(
      '2026-01-01T03:30:00.000Z',
    );
    const adelaide = daily('02:30', 'Australia/Adelaide');
    // 5 April 2026, 03:00 ACDT becomes 02:00 ACST: 02:30 happens twice.
    expect(next(adelaide, '2026-04-04T06:00:00Z')).toBe('2026-04-04T16:00:00.000Z');
    expect(next(adelaide, '2026-04-04T16:00:00Z')).toBe('2026-04-05T17:00:00.000Z');
    // 4 October 2026, 02:00 ACST becomes 03:00 ACDT: 02:30 does not exist.
    expect(next(adelaide, '2026-10-03T06:00:00Z')).toBe('2026-10-03T17:00:00.000Z');
  });

  it('takes the first of a time repeated by a half-hour change (Lord Howe, 01:45)', () => {
    // 5 April 2026, 02:00 (+11) becomes 01:30 (+10:30).
    const s = daily('01:45', 'Australia/Lord_Howe');
    expect(next(s, '2026-04-04T06:00:00Z')).toBe('2026-04-04T14:45:00.000Z');
    expect(next(s, '2026-04-04T14:45:00Z')).toBe('2026-04-05T15:15:00.000Z');
  });

  it('is due weekly on the chosen ISO weekday', () => {
    const s: DigestTiming = {
      cadence: 'weekly',
      weekday: 5,
      timeOfDay: '17:30',
      timeZone: 'Asia/Kolkata',
    };
    expect(next(s, '2026-03-02T06:01:00Z')).toBe('2026-03-06T12:00:00.000Z'); // Friday
    expect(next(s, '2026-03-06T12:00:00Z')).toBe('2026-03-13T12:00:00.000Z');
    expect(next({ ...s, weekday: undefined }, '2026-03-02T12:00:00Z')).toBe(
      '2026-03-09T12:00:00.000Z', // Monday by default
    );
  });

  it('is due exactly once on every local day around both DST changes, in any of these zones', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Adelaide',
      'Australia/Lord_Howe',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        (zone, hour, minute) => {
          const tod = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          // 1 March to 15 April and 25 September to 5 November hold every change of these zones.
          for (const [start, days] of [
            ['2026-03-01T00:00:00Z', 46],
            ['2026-09-25T00:00:00Z', 42],
          ] as const) {
            let at = new Date(start);
            let previous: DateTime | undefined;
            for (let i = 0; i < days; i++) {
              const due = nextDigestAt(daily(tod, zone), at);
              const local = DateTime.fromJSDate(due, { zone });
              if (previous !== undefined) {
                expect(local.startOf('day').diff(previous.startOf('day'), 'days').days).toBe(1);
              }
              previous = local;
              at = due;
            }
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
