/**
 * Recording interactions: the `InteractionReceived` event of an interaction
 * (keyed by the interaction's own id, so a retried delivery is a duplicate)
 * and the ids of events a handler records because of it.
 */
import { SpacelogError } from '../errors.js';
import {
  newEvent,
  spaceStream,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type NewEventOf,
} from '../eventlog/index.js';
import type { Interaction, Transport } from '../interaction/model.js';

const CONFLICT_ATTEMPTS = 4;

/** The `InteractionReceived` event of an interaction. Text goes in; the store drops it unless kept. */
export function interactionReceived(
  interaction: Interaction,
  transport: Transport,
): NewEventOf<'InteractionReceived'> {
  const i = interaction as Interaction &
    Partial<Record<'commandId' | 'commandName' | 'action', string>>;
  const text = i.message?.text;
  return newEvent('InteractionReceived', {
    id: i.id,
    stream: spaceStream(i.space.name),
    occurredAt: occurredAt(i.eventTime),
    causedBy: { kind: 'user', id: i.user.name },
    payload: {
      kind: i.kind === 'unknown' ? `unknown:${i.eventType}`.slice(0, 64) : i.kind,
      format: i.format,
      via: transport,
      spaceName: i.space.name,
      userName: i.user.name,
      userType: i.user.type,
      messageName: i.message?.name,
      threadName: i.message?.threadName,
      commandId: i.commandId,
      commandName: i.commandName,
      actionName: i.action?.slice(0, 512),
      textLength: text === undefined ? undefined : Buffer.byteLength(text),
      text: text?.slice(0, 32_000),
    },
  });
}

/** Id of the event a handler records for an interaction (`key` defaults to the type). */
export function causedEventId(interactionId: string, key: string): string {
  return `${interactionId}.${key}`;
}

/** The event log's timestamp form of Chat's event time. */
export function occurredAt(eventTime: string): string {
  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;
  return iso.test(eventTime) ? eventTime : new Date(eventTime).toISOString();
}

/**
 * Appends, retrying a `conflict` a few times when no expected version was
 * asked for (two appends racing for the same stream position).
 */
export function appendRetryingRaces(
  store: EventStore,
  event: NewEvent,
  options: AppendOptions = {},
): Promise<AppendResult> {
  return appendThen(store, event, options, (result) => result);
}

/**
 * {@link appendRetryingRaces}, with `then` applied to the result in the
 * same step: on the request path every promise is traced by the functions
 * framework, so the request path saves one.
 */
export function appendThen<T>(
  store: EventStore,
  event: NewEvent,
  options: AppendOptions,
  then: (result: AppendResult) => T,
  attempt = 1,
): Promise<T> {
  return store.append(event, options).then(then, (err: unknown) => {
    const raced = err instanceof SpacelogError && err.code === 'conflict';
    if (!raced || options.expectedVersion !== undefined || attempt >= CONFLICT_ATTEMPTS) throw err;
    return appendThen(store, event, options, then, attempt + 1);
  });
}
