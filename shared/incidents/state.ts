/**
 * An incident as its stream (`incident:KEY`) says it stands, and the
 * recording of its steps. Each step's event has an id derived from the
 * incident key and the step, and is appended with the stream version the
 * step was decided on (`expectedVersion`): a redelivery finds what is done
 * and resumes after it, a repeat of a step records nothing new, and a step
 * decided on a stale view is refused (`conflict`) and decided again.
 */
import type { Clock } from '../clock.js';
import { SpacelogError, toSpacelogError } from '../errors.js';
import type { Logger } from '../log.js';
import type { IncidentDeps } from './deps.js';
import {
  asKnown,
  incidentStream,
  newEvent,
  streamEvents,
  type Actor,
  type EventStore,
  type EventType,
  type PayloadOf,
  type RecordedEvent,
} from '../eventlog/index.js';

/** The incident events. */
export type IncidentEventType = Extract<EventType, `Incident${string}`>;

/** What the stream says so far. */
export interface IncidentState {
  readonly key: string;
  /** The stream's version this state was read at. */
  readonly version: number;
  readonly opened?: PayloadOf<'IncidentOpened'>;
  readonly space?: PayloadOf<'IncidentSpaceCreated'>;
  /** Members recorded as added. */
  readonly added: ReadonlySet<string>;
  readonly detailsMessage?: string;
  readonly resolved: boolean;
  readonly resolutionMessage?: string;
}

/** The state of an empty stream. */
export function emptyIncident(key: string): IncidentState {
  return { key, version: 0, added: new Set(), resolved: false };
}

/** The state after `event`. */
export function applyIncidentEvent(state: IncidentState, raw: RecordedEvent): IncidentState {
  const version = Math.max(state.version, raw.version);
  const event = asKnown(raw);
  switch (event?.type) {
    case 'IncidentOpened':
      return { ...state, version, opened: event.payload };
    case 'IncidentSpaceCreated':
      return { ...state, version, space: event.payload };
    case 'IncidentResponderAdded':
      return { ...state, version, added: new Set([...state.added, event.payload.member]) };
    case 'IncidentDetailsPosted':
      return { ...state, version, detailsMessage: event.payload.messageName };
    case 'IncidentResolved':
      return { ...state, version, resolved: true };
    case 'IncidentResolutionPosted':
      return { ...state, version, resolutionMessage: event.payload.messageName };
    default:
      return { ...state, version };
  }
}

/** Reads an incident's whole stream. */
export async function readIncident(events: EventStore, key: string): Promise<IncidentState> {
  let state = emptyIncident(key);
  for await (const event of streamEvents(events, incidentStream(key))) {
    state = applyIncidentEvent(state, event);
  }
  return state;
}

/** The id of the event of one step of an incident (`details`, `responder:users/1`, ...). */
export function incidentEventId(key: string, step: string): string {
  return `${incidentStream(key)}.${step}`;
}

/** Records an incident's steps, keeping its state current. */
export interface IncidentRecorder {
  readonly state: IncidentState;
  /**
   * Appends the event of `step` expecting the version the state was read at.
   * A duplicate (the step was recorded before) counts as done; a `conflict`
   * is thrown when anything else moved the stream.
   */
  record<T extends IncidentEventType>(
    step: string,
    type: T,
    payload: PayloadOf<T>,
    occurredAt?: string,
  ): Promise<void>;
}

/** A recorder starting from `state`. */
export function incidentRecorder(
  deps: { readonly events: EventStore; readonly clock: Clock },
  initial: IncidentState,
  causedBy: Actor,
): IncidentRecorder {
  let state = initial;
  return {
    get state() {
      return state;
    },
    async record(step, type, payload, occurredAt) {
      const event = newEvent(type, {
        id: incidentEventId(state.key, step),
        stream: incidentStream(state.key),
        occurredAt: occurredAt ?? deps.clock.now(),
        causedBy,
        payload,
      });
      const result = await deps.events.append(event, { expectedVersion: state.version });
      state = applyIncidentEvent(state, result.event);
    },
  };
}

/** Rounds of re-reading before a `conflict` is left to the caller (Pub/Sub retries it). */
const CONFLICT_ROUNDS = 4;

/**
 * Runs `decide` on the incident's current state; when a step's append finds
 * the stream moved (`conflict`), reads it again and decides again.
 */
export async function onFreshState<T>(
  events: EventStore,
  key: string,
  decide: (state: IncidentState) => Promise<T>,
): Promise<T> {
  for (let round = 1; ; round += 1) {
    const state = await readIncident(events, key);
    try {
      return await decide(state);
    } catch (err) {
      const stale = err instanceof SpacelogError && err.code === 'conflict';
      if (!stale || round >= CONFLICT_ROUNDS) throw err;
    }
  }
}

/** Brings projections up to date with the incident; a failure waits for the periodic sweep. */
export async function projectionsCatchUp(
  deps: Pick<IncidentDeps, 'onRecorded'>,
  key: string,
  log: Logger,
): Promise<void> {
  if (deps.onRecorded === undefined) return;
  try {
    await deps.onRecorded(incidentStream(key));
  } catch (err) {
    log.warn('Incident projection not caught up.', { code: toSpacelogError(err).code });
  }
}
