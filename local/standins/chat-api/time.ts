/**
 * Timestamps as Chat writes them: RFC 3339 in UTC with microseconds. The
 * stand-in keeps them as integer microseconds since the epoch, strictly
 * increasing even when the injected clock stands still, so that `createTime`
 * orders messages the way Chat's list does.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../shared/clock.js';

/** Integer microseconds since the epoch. */
export type Micros = number;

/** Hands out strictly increasing microsecond timestamps from a clock. */
export function microClock(clock: Clock): () => Micros {
  let last = 0;
  return () => {
    const now = clock.now().getTime() * 1000;
    last = now > last ? now : last + 1;
    return last;
  };
}

/** `1700000000000123` → `2023-11-14T22:13:20.000123Z`. */
export function formatMicros(us: Micros): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // …SS.mmmZ
  const micro = String(us % 1000).padStart(3, '0');
  return `${iso.slice(0, -1)}${micro}Z`;
}

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses RFC 3339 (any offset, up to nanoseconds) into microseconds; `undefined` if malformed. */
export function parseTimestamp(text: string): Micros | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const seconds = Date.parse(`${date}T${time}${zone.toUpperCase()}`);
  if (Number.isNaN(seconds)) return undefined;
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  return seconds * 1000 + micros;
}

/** A random id of URL-safe characters, like Chat's resource ids. */
export function randomId(length = 11): string {
  return randomBytes(Math.ceil((length * 3) / 4) + 1)
    .toString('base64url')
    .replace(/[-_]/g, 'x')
    .slice(0, length);
}
