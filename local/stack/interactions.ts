/**
 * Builds interaction events the way Google Chat sends them, in either format:
 * classic (top-level `type`) or Workspace add-on (`chat.*Payload`).
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/Event
 * https://developers.google.com/workspace/add-ons/concepts/event-objects#chat-event-object
 * Pure: the caller supplies space, user, message and time.
 */
import type { chat_v1 } from '@googleapis/chat';

/** The event formats a Chat app can be configured for. */
export type EventFormat = 'classic' | 'add-on';

/** A slash command as the app declares it on the configuration page. */
export interface SlashCommand {
  readonly id: string;
  /** With its slash: `/digest`. */
  readonly name: string;
}

/** A card button's action: its function and parameters. */
export interface CardAction {
  readonly function: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** What happened, in Chat's terms. */
export type Occurrence =
  | {
      readonly kind: 'message';
      readonly message: chat_v1.Schema$Message;
      readonly command?: SlashCommand;
    }
  | { readonly kind: 'added' }
  | { readonly kind: 'removed' }
  | {
      readonly kind: 'card-click';
      readonly message: chat_v1.Schema$Message;
      readonly action: CardAction;
    };

/** Everything an event needs besides what happened. */
export interface EventContext {
  readonly space: chat_v1.Schema$Space;
  readonly user: chat_v1.Schema$User;
  /** `users/…` of the app, for the slash command annotation. */
  readonly appUser: string;
  readonly eventTime: string;
  /** Where the app sends the user once configuration (sign-in) is done. */
  readonly configCompleteRedirectUrl: string;
  readonly timeZone: string;
}

type Json = Record<string, unknown>;

/** The message as an event carries it: with the slash command annotation when there is one. */
function eventMessage(
  message: chat_v1.Schema$Message,
  context: EventContext,
  command?: SlashCommand,
): Json {
  if (command === undefined) return { ...message };
  const text = message.text ?? '';
  const argumentText = text.slice(command.name.length).trim();
  return {
    ...message,
    argumentText,
    slashCommand: { commandId: command.id },
    annotations: [
      {
        type: 'SLASH_COMMAND',
        startIndex: 0,
        length: command.name.length,
        slashCommand: {
          bot: { name: context.appUser, displayName: 'Spacelog', type: 'BOT' },
          type: 'INVOKE',
          commandName: command.name,
          commandId: command.id,
        },
      },
    ],
  };
}

function timeZone(context: EventContext): Json {
  return { id: context.timeZone, offset: 0 };
}

/** A classic interaction event. */
export function classicEvent(occurrence: Occurrence, context: EventContext): Json {
  const base = { eventTime: context.eventTime, space: context.space, user: context.user };
  const common = { hostApp: 'CHAT', userLocale: 'en', timeZone: timeZone(context) };
  const redirect = { configCompleteRedirectUrl: context.configCompleteRedirectUrl };
  switch (occurrence.kind) {
    case 'message':
      return {
        type: 'MESSAGE',
        ...base,
        message: eventMessage(occurrence.message, context, occurrence.command),
        common,
        ...redirect,
      };
    case 'added':
      return { type: 'ADDED_TO_SPACE', ...base, common, ...redirect };
    case 'removed':
      return { type: 'REMOVED_FROM_SPACE', ...base, common };
    case 'card-click': {
      const { function: fn, parameters } = occurrence.action;
      return {
        type: 'CARD_CLICKED',
        ...base,
        message: occurrence.message,
        action: {
          actionMethodName: fn,
          parameters: Object.entries(parameters).map(([key, value]) => ({ key, value })),
        },
        common: { ...common, invokedFunction: fn, parameters },
        ...redirect,
      };
    }
  }
}

/** A Workspace add-on event object; `systemIdToken` is the token Chat also sends as bearer. */
export function addOnEvent(
  occurrence: Occurrence,
  context: EventContext,
  systemIdToken: string,
): Json {
  const common: Json = {
    hostApp: 'CHAT',
    platform: 'WEB',
    userLocale: 'en',
    timeZone: timeZone(context),
  };
  const redirect = { configCompleteRedirectUri: context.configCompleteRedirectUrl };
  const space = context.space;
  let payload: Json;
  switch (occurrence.kind) {
    case 'message': {
      const message = eventMessage(occurrence.message, context, occurrence.command);
      payload = occurrence.command
        ? {
            appCommandPayload: {
              appCommandMetadata: {
                appCommandId: occurrence.command.id,
                appCommandType: 'SLASH_COMMAND',
              },
              space,
              thread: occurrence.message.thread,
              message,
              ...redirect,
            },
          }
        : { messagePayload: { space, message, ...redirect } };
      break;
    }
    case 'added':
      payload = { addedToSpacePayload: { space, interactionAdd: false, ...redirect } };
      break;
    case 'removed':
      payload = { removedFromSpacePayload: { space } };
      break;
    case 'card-click': {
      const { function: fn, parameters } = occurrence.action;
      common['parameters'] = parameters;
      // Add-on buttons name an endpoint URL as their function; a name travels as `invokedFunction`.
      if (!/^https?:\/\//.test(fn)) common['invokedFunction'] = fn;
      payload = {
        buttonClickedPayload: {
          space,
          message: occurrence.message,
          isDialogEvent: false,
          ...redirect,
        },
      };
      break;
    }
  }
  return {
    commonEventObject: common,
    authorizationEventObject: { systemIdToken },
    chat: { user: context.user, eventTime: context.eventTime, ...payload },
  };
}
