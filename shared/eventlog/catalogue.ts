/**
 * The event catalogue: every event type Spacelog records, with the types
 * derived from it (`EventType`, `PayloadOf`, `EventOf`) and the typed
 * constructor `newEvent`. Types are declared per domain in `events-*.ts`.
 */
import type * as v from 'valibot';
import { INCIDENT_EVENTS } from './events-incident.js';
import { SPACE_EVENTS } from './events-space.js';
import { USER_EVENTS } from './events-user.js';
import type { EventDefinition } from './define.js';
import type { Actor, NewEvent, RecordedEvent, StreamId } from './types.js';

/** Every event type, by name. */
export const CATALOGUE = { ...SPACE_EVENTS, ...INCIDENT_EVENTS, ...USER_EVENTS };

/** The name of a catalogued event type. */
export type EventType = keyof typeof CATALOGUE;

/** The payload of an event type, as stored (after validation). */
export type PayloadOf<T extends EventType> = v.InferOutput<(typeof CATALOGUE)[T]['schema']>;

/** A recorded event of one type, such as `EventOf<'AppAddedToSpace'>`. */
export type EventOf<T extends EventType> = RecordedEvent<T, PayloadOf<T>>;

/** A new event of one type, as `newEvent` builds it. */
export type NewEventOf<T extends EventType> = NewEvent<T, PayloadOf<T>>;

/** Any recorded catalogued event; `switch (event.type)` narrows the payload. */
export type KnownEvent = { [K in EventType]: EventOf<K> }[EventType];

/** The definition of a type, or undefined when it is not catalogued. */
export function definitionOf(type: string): EventDefinition | undefined {
  return isEventType(type) ? CATALOGUE[type] : undefined;
}

/** True when `type` is in the catalogue. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(CATALOGUE, type);
}

/** Builds a new event of a catalogued type; the payload is typed by the catalogue. */
export function newEvent<T extends EventType>(
  type: T,
  fields: {
    readonly id: string;
    readonly stream: StreamId;
    readonly occurredAt: string | Date;
    readonly causedBy: Actor;
    readonly payload: PayloadOf<T>;
  },
): NewEventOf<T> {
  const occurredAt =
    typeof fields.occurredAt === 'string' ? fields.occurredAt : fields.occurredAt.toISOString();
  return { ...fields, type, occurredAt };
}

/** Narrows a recorded event to one catalogued type. */
export function isEventOf<T extends EventType>(event: RecordedEvent, type: T): event is EventOf<T> {
  return event.type === type;
}

/** Views a recorded event as a catalogued one (the store validated it on append). */
export function asKnown(event: RecordedEvent): KnownEvent | undefined {
  return isEventType(event.type) ? (event as KnownEvent) : undefined;
}
