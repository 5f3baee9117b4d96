/**
 * How one event type is declared: its stream kinds, the schema version of its
 * payload and a valibot schema for it, plus the checks shared by many
 * payloads. The catalogue files (`events-*.ts`) are lists of these.
 */
import * as v from 'valibot';

/** The kinds of stream, the part of a stream id before the colon. */
export type StreamKind = 'space' | 'user' | 'incident' | 'app';

/** A payload schema: a strict object, so an unknown field is refused too. */
export type PayloadSchema = v.GenericSchema<Record<string, unknown>, Record<string, unknown>>;

/** One entry of the catalogue. */
export interface EventDefinition<TSchema extends PayloadSchema = PayloadSchema> {
  /** Streams an event of this type may be appended to. */
  readonly streams: readonly StreamKind[];
  /**
   * Version of the payload schema. Raise it when the payload changes shape;
   * events keep the version they were validated against.
   */
  readonly schemaVersion: number;
  readonly schema: TSchema;
}

/** Declares an event type; the generic keeps the schema's exact type. */
export function defineEvent<const TSchema extends PayloadSchema>(
  definition: EventDefinition<TSchema>,
): EventDefinition<TSchema> {
  return definition;
}

/**
 * Payload fields holding message text. They are kept only when the store is
 * built with `storeMessageText` (the STORE_MESSAGE_TEXT setting); otherwise
 * the store drops them before validation and writing.
 */
export const TEXT_FIELDS: readonly string[] = ['text'];

const LONGEST_NAME = 512;

/** A non-empty identifier or resource name (`spaces/AAA`, `users/123`). */
export const name = () => v.pipe(v.string(), v.minLength(1), v.maxLength(LONGEST_NAME));

/** Message text, when it is kept at all. Chat messages stop at 32,000 bytes. */
export const messageText = () => v.pipe(v.string(), v.maxLength(32_000));

/** A count or length: a non-negative integer. */
export const count = () => v.pipe(v.number(), v.integer(), v.minValue(0));

/** An ISO 8601 timestamp with a date and a time. */
export const isoTime = () =>
  v.pipe(
    v.string(),
    v.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/),
    v.check((s) => !Number.isNaN(Date.parse(s)), 'not a valid date'),
  );

/** An IANA time zone the runtime knows, such as `Europe/Paris`. */
export const ianaZone = () =>
  v.pipe(
    v.string(),
    v.check((zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return zone.length > 0;
      } catch {
        return false;
      }
    }, 'not an IANA time zone'),
  );

/** A 24-hour time of day, `HH:MM`. */
export const timeOfDay = () => v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/));
