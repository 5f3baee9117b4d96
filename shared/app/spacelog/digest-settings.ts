/**
 * A space's digest settings as the app decides on them: the latest
 * `DigestSettingsChanged` of the space (a full snapshot), the defaults a
 * space starts with, and how a card button's absolute values apply.
 * Buttons carry the value to set (`enabled=false`, `cadence=weekly`,
 * `timeOfDay=10:00`), never "toggle", so a click delivered twice sets the
 * same thing twice and a retried delivery gets the same card.
 */
import { spaceStream, type EventStore, type PayloadOf } from '../../eventlog/index.js';

const PAGE = 500;

/** The settings, exactly as `DigestSettingsChanged` records them. */
export type DigestSettings = PayloadOf<'DigestSettingsChanged'>;

/** Reads a space's current digest settings. */
export interface DigestSettingsReader {
  /**
   * The latest recorded settings, or undefined when none were ever
   * recorded. With the id of an interaction that {@link prepare}d a read,
   * that read answers: settings as they were after the interaction arrived.
   */
  read(spaceName: string, interactionId?: string): Promise<DigestSettings | undefined>;
  /** Starts the read an arriving interaction's handler will ask for. */
  prepare(interactionId: string, spaceName: string): void;
}

/** Prepared reads not yet asked for (a handler that failed first leaves one). */
const MAX_PREPARED = 256;

/**
 * A reader over the space's stream itself, so it is never behind the log
 * (a click right after another sees the other's change). Per instance it
 * remembers, for each space, the newest settings and how far it has read,
 * and then reads only the events after that: the first read of a space
 * scans its stream once, later reads cost one short read. A read prepared
 * when an interaction arrives overlaps its recording, one round trip fewer
 * on the request path.
 */
export function streamDigestSettings(
  events: EventStore,
  options: { maxSpaces?: number } = {},
): DigestSettingsReader {
  const maxSpaces = options.maxSpaces ?? 10_000;
  const known = new Map<string, { settings: DigestSettings | undefined; version: number }>();
  const remember = (spaceName: string, settings: DigestSettings | undefined, version: number) => {
    const latest = known.get(spaceName);
    if (version > (latest?.version ?? 0)) {
      if (latest === undefined && known.size >= maxSpaces) known.clear();
      known.set(spaceName, { settings, version });
    }
    return settings;
  };

  const fresh = (spaceName: string): Promise<DigestSettings | undefined> => {
    const stream = spaceStream(spaceName);
    const seen = known.get(spaceName) ?? { settings: undefined, version: 0 };
    // Page by page, one promise per page: fewer promises on the request path.
    const from = (settings: DigestSettings | undefined, version: number) =>
      events
        .readStream(stream, { afterVersion: version, limit: PAGE })
        .then((page): Promise<DigestSettings | undefined> | DigestSettings | undefined => {
          let newest = settings;
          let at = version;
          for (const event of page) {
            if (event.type === 'DigestSettingsChanged') newest = event.payload as DigestSettings;
            at = event.version;
          }
          return page.length < PAGE ? remember(spaceName, newest, at) : from(newest, at);
        });
    return from(seen.settings, seen.version);
  };

  const prepared = new Map<string, Promise<DigestSettings | undefined>>();
  return {
    read(spaceName, interactionId) {
      const early = interactionId === undefined ? undefined : prepared.get(interactionId);
      if (early === undefined) return fresh(spaceName);
      prepared.delete(interactionId!);
      return early;
    },

    prepare(interactionId, spaceName) {
      const read = fresh(spaceName);
      // Its failure is the handler's to see; until then it must not go unhandled.
      read.catch(() => undefined);
      if (prepared.size >= MAX_PREPARED) prepared.delete(prepared.keys().next().value!);
      prepared.set(interactionId, read);
    },
  };
}

/** The settings a space starts with. */
export function initialDigestSettings(options: {
  timeZone: string | undefined;
  defaultTime: string;
  quiet: 'note' | 'skip';
}): DigestSettings {
  return {
    enabled: true,
    cadence: 'daily',
    timeOfDay: options.defaultTime,
    timeZone: knownZone(options.timeZone) ?? 'UTC',
    quiet: options.quiet,
  };
}

/** A change a button asks for: only the fields it sets. */
export type DigestChange = Partial<Pick<DigestSettings, 'enabled' | 'cadence' | 'timeOfDay'>>;

/** Reads a change from button parameters; undefined when they are not a valid change. */
export function changeFromParameters(
  parameters: Readonly<Record<string, string>>,
): DigestChange | undefined {
  const change: { -readonly [K in keyof DigestChange]: DigestChange[K] } = {};
  const { enabled, cadence, timeOfDay } = parameters;
  if (enabled !== undefined) {
    if (enabled !== 'true' && enabled !== 'false') return undefined;
    change.enabled = enabled === 'true';
  }
  if (cadence !== undefined) {
    if (cadence !== 'daily' && cadence !== 'weekly') return undefined;
    change.cadence = cadence;
  }
  if (timeOfDay !== undefined) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(timeOfDay)) return undefined;
    change.timeOfDay = timeOfDay;
  }
  return Object.keys(change).length === 0 ? undefined : change;
}

/**
 * The settings after `change`, in the interaction's time zone when it has
 * one. Weekly digests go out on Mondays unless a weekday was set.
 */
export function applyChange(
  current: DigestSettings,
  change: DigestChange,
  timeZone: string | undefined,
): DigestSettings {
  const next: DigestSettings = {
    ...current,
    ...change,
    timeZone: knownZone(timeZone) ?? current.timeZone,
  };
  if (next.cadence === 'weekly' && next.weekday === undefined) return { ...next, weekday: 1 };
  return next;
}

/** True when both settings say the same. */
export function sameSettings(a: DigestSettings, b: DigestSettings): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof DigestSettings>;
  return [...keys].every((k) => a[k] === b[k]);
}

/** `HH:MM` moved by `hours`, wrapping around midnight. */
export function shiftTime(timeOfDay: string, hours: number): string {
  const [h = 0, m = 0] = timeOfDay.split(':').map(Number);
  const shifted = (((h + hours) % 24) + 24) % 24;
  return `${String(shifted).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The zone when the runtime knows it, else undefined. */
export function knownZone(zone: string | undefined): string | undefined {
  if (zone === undefined || zone === '') return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}
