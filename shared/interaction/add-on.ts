/**
 * Parses a Workspace add-on Chat event object into an interaction. There is
 * no `type`: the kind is whichever payload is present under `chat`.
 * https://developers.google.com/workspace/add-ons/concepts/event-objects#chat-event-object
 * The event's `authorizationEventObject` (tokens) is never read here.
 */
import { identify } from './identity.js';
import type { Interaction, InteractionBase } from './model.js';
import {
  int64,
  malformed,
  mentionsApp,
  obj,
  readEventTime,
  readFormInputs,
  readMessage,
  readParameters,
  readSpace,
  readUser,
  str,
  type Json,
} from './read.js';
import {
  ACTION_PARAMETER,
  clickOf,
  commandNameOf,
  dialogPhaseOf,
  widgetUpdateOf,
  withoutActionName,
} from './shared.js';

const PAYLOAD_KEYS = [
  'appCommandPayload',
  'messagePayload',
  'addedToSpacePayload',
  'removedFromSpacePayload',
  'buttonClickedPayload',
  'widgetUpdatedPayload',
] as const;

/** Parses an add-on event object; throws `invalid-input` when it cannot. */
export function parseAddOn(body: Json): Interaction {
  const chat = obj(body.chat) ?? malformed('missing-chat');
  const common = obj(body.commonEventObject);
  const key = PAYLOAD_KEYS.find((k) => obj(chat[k]) !== undefined);
  // An unknown kind still has its space inside its own `...Payload`.
  const otherKey = Object.keys(chat).find(
    (k) => k.endsWith('Payload') && obj(chat[k]) !== undefined,
  );
  const payload = obj(chat[key ?? otherKey ?? '']);
  const base = addOnBase(chat, payload, common);

  const rawParameters = readParameters(common?.parameters);
  const parameters = withoutActionName(rawParameters);
  const action = rawParameters[ACTION_PARAMETER] ?? str(common, 'invokedFunction');
  const formInputs = readFormInputs(common?.formInputs);
  const input = { action, rawParameters, parameters, formInputs };
  const dialog = dialogPhaseOf(payload?.dialogEventType);
  const rawMessage = obj(payload?.message);

  switch (key) {
    case 'appCommandPayload': {
      const meta = obj(payload?.appCommandMetadata);
      const commandId = int64(meta, 'appCommandId') ?? malformed('missing-command-id');
      const commandType = str(meta, 'appCommandType') ?? 'UNSPECIFIED';
      if (dialog !== undefined) {
        return identify({
          ...base,
          kind: 'dialog',
          phase: dialog,
          commandId,
          parameters,
          formInputs,
        });
      }
      if (commandType === 'SLASH_COMMAND') {
        const commandName = commandNameOf(rawMessage);
        return identify({
          ...base,
          kind: 'slash-command',
          commandId,
          ...(commandName ? { commandName } : {}),
        });
      }
      return identify({ ...base, kind: 'app-command', commandId, commandType });
    }
    case 'messagePayload': {
      if (base.message === undefined) return malformed('missing-message');
      const kind =
        mentionsApp(rawMessage) || base.space.type !== 'DIRECT_MESSAGE' ? 'mention' : 'message';
      return identify({ ...base, kind, message: base.message });
    }
    case 'addedToSpacePayload':
      return identify({ ...base, kind: 'added-to-space' });
    case 'removedFromSpacePayload':
      return identify({ ...base, kind: 'removed-from-space' });
    case 'buttonClickedPayload':
      return clickOf(
        base,
        dialog ?? (payload?.isDialogEvent === true ? 'submit' : undefined),
        input,
      );
    case 'widgetUpdatedPayload':
      return widgetUpdateOf(base, input);
    default: {
      const eventType = (otherKey ?? 'none').slice(0, 64);
      return identify({ ...base, kind: 'unknown', eventType });
    }
  }
}

function addOnBase(
  chat: Json,
  payload: Json | undefined,
  common: Json | undefined,
): Omit<InteractionBase, 'id'> {
  const message = readMessage(payload?.message);
  const timeZone = str(obj(common?.timeZone), 'id');
  const locale = str(common, 'userLocale');
  const redirect =
    str(payload, 'configCompleteRedirectUri') ?? str(chat, 'configCompleteRedirectUri');
  return {
    format: 'add-on',
    eventTime: readEventTime(chat.eventTime),
    space: readSpace(payload?.space ?? chat.space ?? obj(payload?.message)?.space),
    user: readUser(chat.user),
    ...(message ? { message } : {}),
    ...(timeZone ? { timeZone } : {}),
    ...(locale ? { locale } : {}),
    ...(redirect ? { configCompleteRedirectUrl: redirect } : {}),
  };
}
