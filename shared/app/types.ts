/**
 * The handler API's types: what a handler receives (the interaction, the
 * services, the logger, a way to record events) and returns (a reply),
 * middleware around handlers, and the one error hook. Nothing here knows
 * HTTP or Pub/Sub: the same app answers over both.
 */
import type { Clock } from '../clock.js';
import type { SpacelogError } from '../errors.js';
import type {
  EventOf,
  EventStore,
  EventType,
  PayloadOf,
  RecordedEvent,
  StreamId,
} from '../eventlog/index.js';
import type {
  InteractionKind,
  Interaction,
  InteractionOf,
  Transport,
} from '../interaction/model.js';
import type { Reply, replies } from '../interaction/reply.js';
import type { Logger } from '../log.js';
import type { Publisher } from '../pubsub.js';

/** What every app's handlers may use. Apps extend it with their own readers. */
export interface AppServices {
  readonly events: EventStore;
  readonly publisher: Publisher;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Options of {@link HandlerContext.record}. */
export interface RecordOptions {
  /** Tells apart several events of one type caused by the same interaction. */
  readonly key?: string;
  /** Default: the interaction's space stream. */
  readonly stream?: StreamId;
  /** The stream version the decision was made on; a stale one re-runs the handler. */
  readonly expectedVersion?: number;
}

/** What a handler receives. */
export interface HandlerContext<
  I extends Interaction = Interaction,
  S extends AppServices = AppServices,
> {
  readonly interaction: I;
  readonly services: S;
  /** The services' logger, with the interaction's id, kind and space on every line. */
  readonly logger: Logger;
  readonly transport: Transport;
  /** The `InteractionReceived` event of this interaction (first delivery or not). */
  readonly received: RecordedEvent;
  /** False when the log already held this interaction (a retried delivery). */
  readonly firstDelivery: boolean;
  /**
   * Appends an event caused by this interaction, with an id derived from the
   * interaction's, so a retried delivery records nothing new. Resolves with
   * the event as recorded, the first time or before: reply from that.
   */
  record<T extends EventType>(
    type: T,
    payload: PayloadOf<T>,
    options?: RecordOptions,
  ): Promise<EventOf<T>>;
  /** Reply builders. */
  readonly reply: typeof replies;
}

/** Answers one kind of interaction. */
export type Handler<I extends Interaction = Interaction, S extends AppServices = AppServices> = (
  context: HandlerContext<I, S>,
) => Reply | Promise<Reply>;

/** Runs around every handler; call `next` to go on, or return a reply to stop. */
export type Middleware<S extends AppServices = AppServices> = (
  context: HandlerContext<Interaction, S>,
  next: () => Promise<Reply>,
) => Promise<Reply>;

/**
 * Sees every error a handler or middleware throws. Return a reply to answer
 * with it, or undefined to let the transport map the error (HTTP status,
 * Pub/Sub retry).
 */
export type ErrorHook<S extends AppServices = AppServices> = (
  error: SpacelogError,
  context: HandlerContext<Interaction, S>,
) => Reply | undefined | Promise<Reply | undefined>;

/**
 * Runs as an interaction arrives, before it is recorded: it may start reads
 * the interaction's handler will need, so they overlap the recording. It
 * decides nothing and returns nothing; a hook that throws is logged.
 */
export type ArrivalHook<S extends AppServices = AppServices> = (
  interaction: Interaction,
  services: S,
) => void;

/** The outcome of handling one interaction. */
export interface Handled {
  readonly reply: Reply;
  readonly firstDelivery: boolean;
}

/** Handlers by what they answer. */
export interface ChatApp<S extends AppServices = AppServices> {
  onMessage(handler: Handler<InteractionOf<'message'>, S>): this;
  onMention(handler: Handler<InteractionOf<'mention'>, S>): this;
  /** A slash command by id (Chat's int64 id, as a string). */
  onSlashCommand(commandId: string, handler: Handler<InteractionOf<'slash-command'>, S>): this;
  /** A non-slash app command (such as a quick command) by id; falls back to the slash command's handler. */
  onAppCommand(commandId: string, handler: Handler<InteractionOf<'app-command'>, S>): this;
  onAddedToSpace(handler: Handler<InteractionOf<'added-to-space'>, S>): this;
  onRemovedFromSpace(handler: Handler<InteractionOf<'removed-from-space'>, S>): this;
  /** A card button by action name. */
  onCardClick(action: string, handler: Handler<InteractionOf<'card-click'>, S>): this;
  onDialog(handler: Handler<InteractionOf<'dialog'>, S>): this;
  onWidgetUpdate(handler: Handler<InteractionOf<'widget-update'>, S>): this;
  onAppHome(handler: Handler<InteractionOf<'app-home'>, S>): this;
  use(middleware: Middleware<S>): this;
  onArrival(hook: ArrivalHook<S>): this;
  onError(hook: ErrorHook<S>): this;

  /**
   * Runs the arrival hooks, records the interaction (`InteractionReceived`,
   * idempotent by its id) and returns the recorded event. Call before
   * {@link dispatch}; `handle` does both.
   */
  record(
    interaction: Interaction,
    transport: Transport,
  ): Promise<{ received: RecordedEvent; firstDelivery: boolean }>;
  /** Runs middleware and the matching handler for an interaction already recorded. */
  dispatch(
    interaction: Interaction,
    recorded: { received: RecordedEvent; firstDelivery: boolean },
    transport: Transport,
  ): Promise<Reply>;
  /** Records, then dispatches. */
  handle(interaction: Interaction, transport: Transport): Promise<Handled>;
}

/** Interaction kinds with a registration method; others get the default reply. */
export type HandledKind = Exclude<InteractionKind, 'unknown'>;
