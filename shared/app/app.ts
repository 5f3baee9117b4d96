/**
 * `createChatApp`: the handler registry, and the one path every interaction
 * takes through it. Arrival hooks start what may overlap the recording; the
 * interaction is recorded (`InteractionReceived`, keyed by its id); then
 * middleware and the matching handler decide a reply.
 * A handler that records with a stale `expectedVersion` is re-run on fresh
 * state; any other error goes to the error hook.
 */
import { toSpacelogError } from '../errors.js';
import type { RecordedEvent } from '../eventlog/index.js';
import type { Interaction, Transport } from '../interaction/model.js';
import type { Reply } from '../interaction/reply.js';
import { createContext } from './context.js';
import { defaultReply } from './defaults.js';
import { appendThen, interactionReceived } from './record.js';
import type {
  AppServices,
  ArrivalHook,
  ChatApp,
  ErrorHook,
  Handler,
  HandlerContext,
  Middleware,
} from './types.js';

const STALE_DECISION_ATTEMPTS = 3;

type AnyHandler<S extends AppServices> = Handler<never, S>;

/** Builds an app whose handlers use `services`. Register handlers, then `handle`. */
export function createChatApp<S extends AppServices>(services: S): ChatApp<S> {
  const single = new Map<string, AnyHandler<S>>();
  const slash = new Map<string, AnyHandler<S>>();
  const appCommands = new Map<string, AnyHandler<S>>();
  const clicks = new Map<string, AnyHandler<S>>();
  const middleware: Middleware<S>[] = [];
  const arrivalHooks: ArrivalHook<S>[] = [];
  let errorHook: ErrorHook<S> | undefined;

  const route = (interaction: Interaction): AnyHandler<S> | undefined => {
    switch (interaction.kind) {
      case 'slash-command':
        return slash.get(interaction.commandId);
      case 'app-command':
        return appCommands.get(interaction.commandId) ?? slash.get(interaction.commandId);
      case 'card-click':
        return clicks.get(interaction.action);
      default:
        return single.get(interaction.kind);
    }
  };

  const run = (context: HandlerContext<Interaction, S>): Promise<Reply> => {
    const handler = route(context.interaction);
    const last = () =>
      Promise.resolve(
        handler === undefined
          ? defaultReply(context.interaction)
          : (handler as Handler<Interaction, S>)(context),
      );
    const chain = middleware.reduceRight<() => Promise<Reply>>(
      (next, mw) => () => mw(context, next),
      last,
    );
    return chain();
  };

  // Kept to few promises: the functions framework traces each one.
  const decide = (
    interaction: Interaction,
    recorded: Recorded,
    transport: Transport,
    attempt: number,
  ): Promise<Reply> => {
    const context = createContext(interaction, services, transport, recorded);
    let running: Promise<Reply>;
    try {
      running = run(context);
    } catch (thrown) {
      running = Promise.reject(toSpacelogError(thrown));
    }
    return running.catch(async (thrown: unknown) => {
      const error = toSpacelogError(thrown);
      if (error.code === 'conflict' && attempt < STALE_DECISION_ATTEMPTS) {
        return decide(interaction, recorded, transport, attempt + 1);
      }
      context.logger.warn('Handler failed.', { error });
      const reply = errorHook === undefined ? undefined : await errorHook(error, context);
      if (reply === undefined) throw error;
      return reply;
    });
  };

  const app: ChatApp<S> = {
    onMessage: (h) => set(single, 'message', h),
    onMention: (h) => set(single, 'mention', h),
    onSlashCommand: (id, h) => set(slash, id, h),
    onAppCommand: (id, h) => set(appCommands, id, h),
    onAddedToSpace: (h) => set(single, 'added-to-space', h),
    onRemovedFromSpace: (h) => set(single, 'removed-from-space', h),
    onCardClick: (action, h) => set(clicks, action, h),
    onDialog: (h) => set(single, 'dialog', h),
    onWidgetUpdate: (h) => set(single, 'widget-update', h),
    onAppHome: (h) => set(single, 'app-home', h),
    use(mw) {
      middleware.push(mw);
      return app;
    },
    onArrival(hook) {
      arrivalHooks.push(hook);
      return app;
    },
    onError(hook) {
      errorHook = hook;
      return app;
    },

    record(interaction, transport) {
      for (const hook of arrivalHooks) {
        try {
          hook(interaction, services);
        } catch (thrown) {
          services.logger.warn('An arrival hook failed.', { error: toSpacelogError(thrown) });
        }
      }
      const event = interactionReceived(interaction, transport);
      return appendThen(services.events, event, {}, (result) => ({
        received: result.event,
        firstDelivery: result.status === 'appended',
      }));
    },

    dispatch: (interaction, recorded, transport) => decide(interaction, recorded, transport, 1),

    async handle(interaction, transport) {
      const recorded = await app.record(interaction, transport);
      const reply = await app.dispatch(interaction, recorded, transport);
      return { reply, firstDelivery: recorded.firstDelivery };
    },
  };

  function set<K>(map: Map<K, AnyHandler<S>>, key: K, handler: unknown): ChatApp<S> {
    map.set(key, handler as AnyHandler<S>);
    return app;
  }

  return app;
}

/** The recorded `InteractionReceived` of an interaction, as `dispatch` takes it. */
export type Recorded = { readonly received: RecordedEvent; readonly firstDelivery: boolean };
